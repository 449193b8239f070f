import { describe, expect, it } from 'vitest';
import { NameDeduper, sanitizeName, uniqueNames } from '../../src/lib/export/names';
import { zipFilename } from '../../src/lib/export/zip';

describe('zip entry names', () => {
	it('keeps ordinary names as they are', () => {
		expect(sanitizeName('IMG_0001.JPG')).toBe('IMG_0001.JPG');
		expect(sanitizeName('😀 Ünïcødé 日本語.jpg')).toBe('😀 Ünïcødé 日本語.jpg');
	});

	it('removes path separators, reserved and control characters', () => {
		expect(sanitizeName('../../etc/passwd')).toBe('___.._etc_passwd');
		expect(sanitizeName('a\\b/c.jpg')).toBe('a_b_c.jpg');
		expect(sanitizeName('x\u0000y\u001f\u007f.jpg')).toBe('x_y__.jpg');
		expect(sanitizeName('<img src=x onerror=alert(1)> "q".jpg')).toBe('_img src=x onerror=alert(1)_ _q_.jpg');
		expect(sanitizeName('C:photo?.jpg')).toBe('C_photo_.jpg');
		for (const n of ['a/b', '..', '.', '/', '\\\\server\\x', 'a\nb']) {
			const s = sanitizeName(n);
			expect(s).not.toMatch(/[/\\\u0000-\u001f]/);
			expect(s).not.toBe('..');
			expect(s).not.toBe('.');
			expect(s.length).toBeGreaterThan(0);
		}
	});

	it('never gives an empty, hidden or Windows-reserved name', () => {
		expect(sanitizeName('')).toBe('file');
		expect(sanitizeName('   ')).toBe('file');
		expect(sanitizeName('.hidden.jpg')).toBe('_hidden.jpg');
		expect(sanitizeName('name. . ')).toBe('name');
		expect(sanitizeName('CON.jpg')).toBe('_CON.jpg');
		expect(sanitizeName('x'.repeat(300) + '.jpeg')).toHaveLength(200);
		expect(sanitizeName('x'.repeat(300) + '.jpeg').endsWith('.jpeg')).toBe(true);
	});

	it('numbers repeated names, without regard to case, after reserved ones', () => {
		expect(uniqueNames(['a.jpg', 'a.jpg', 'A.JPG', 'b', 'b', 'library.json'], ['library.json'])).toEqual([
			'a.jpg',
			'a (2).jpg',
			'A (3).JPG',
			'b',
			'b (2)',
			'library (2).json'
		]);
		const d = new NameDeduper();
		expect(d.next('a (2).jpg')).toBe('a (2).jpg');
		expect(d.next('a.jpg')).toBe('a.jpg');
		expect(d.next('a.jpg')).toBe('a (3).jpg'); // "a (2).jpg" was taken by a real name
		expect(d.next('x/y.jpg')).toBe('x_y.jpg');
		expect(d.next('x\\y.jpg')).toBe('x_y (2).jpg');
	});

	it('names the archive by date and count', () => {
		const t = new Date('2026-11-25T09:00:00Z');
		expect(zipFilename('all', t)).toBe('shoebox-library-2026-11-25.zip');
		expect(zipFilename(1, t)).toBe('shoebox-1-item-2026-11-25.zip');
		expect(zipFilename(3, t)).toBe('shoebox-3-items-2026-11-25.zip');
	});
});
