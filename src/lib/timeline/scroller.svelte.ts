// Native scrolling over a bounded segment of a virtual height. Browsers cap an element's height
// (and lose precision long before), so a huge library is scrolled through a window of SEGMENT px
// that is moved ("rebased") whenever the scroll position nears one of its edges.

export const SEGMENT = 3_000_000;

export class Scroller {
	/** Virtual offset of the segment's top. */
	base = $state(0);
	/** Virtual position of the viewport's top. */
	position = $state(0);
	viewport = $state(0);
	width = $state(0);
	total = $state(0);
	private el: HTMLElement | null = null;

	get segment(): number {
		return Math.min(this.total, SEGMENT);
	}

	attach(el: HTMLElement): () => void {
		this.el = el;
		const ro = new ResizeObserver(() => {
			this.viewport = el.clientHeight;
			this.width = el.clientWidth;
		});
		ro.observe(el);
		return () => ro.disconnect();
	}

	setTotal(total: number): void {
		this.total = total;
		if (this.base + SEGMENT > total) this.base = Math.max(0, total - SEGMENT);
	}

	onScroll(): void {
		const el = this.el;
		if (!el) return;
		let top = el.scrollTop;
		if (this.total > SEGMENT) {
			const margin = SEGMENT * 0.15;
			const step = SEGMENT * 0.35;
			let shift = 0;
			if (top < margin && this.base > 0) shift = -Math.min(this.base, step);
			else if (top + this.viewport > SEGMENT - margin && this.base + SEGMENT < this.total) shift = Math.min(this.total - SEGMENT - this.base, step);
			if (shift !== 0) {
				this.base += shift;
				top -= shift;
				el.scrollTop = top;
			}
		}
		this.position = this.base + top;
	}

	/** Scrolls so that virtual `y` is at the top of the viewport. */
	jumpTo(y: number): void {
		const el = this.el;
		const target = Math.max(0, Math.min(y, Math.max(0, this.total - this.viewport)));
		this.base = Math.max(0, Math.min(target - SEGMENT / 2, Math.max(0, this.total - SEGMENT)));
		this.position = target;
		if (el) el.scrollTop = target - this.base;
	}
}
