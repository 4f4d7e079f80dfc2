import { describe, expect, it } from 'vitest';
import { fitWithin, photoName } from './photos';

describe('photo size before queueing', () => {
  it('scales the longer side down to 1600 px, keeping the aspect', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200, scaled: true });
    expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: 1600, scaled: true });
    expect(fitWithin(4032, 1816)).toEqual({ width: 1600, height: 721, scaled: true });
  });

  it('never enlarges; an exact 1600 stays', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600, scaled: false });
    expect(fitWithin(1600, 900)).toEqual({ width: 1600, height: 900, scaled: false });
  });

  it('very thin images keep at least a pixel; empty sizes are empty', () => {
    expect(fitWithin(20000, 2).height).toBe(1);
    expect(fitWithin(0, 10)).toEqual({ width: 0, height: 0, scaled: false });
  });

  it('neutral names (the device file name may carry personal data)', () => {
    expect(photoName(0, 'image/jpeg')).toBe('anh-1.jpg');
    expect(photoName(4, 'image/png')).toBe('anh-5.png');
  });
});
