import { describe, expect, it } from 'vitest';
import { parseTitleSeniority, type Seniority } from './seniority.js';

const TITLES: readonly (readonly [string | null, Seniority])[] = [
  ['Chief Technology Officer', 'c_level'],
  ['Founder & CEO', 'c_level'],
  ['Co-Founder', 'c_level'],
  ['CFO', 'c_level'],
  ['President', 'c_level'],
  ['Managing Director, EMEA', 'c_level'],
  ['Owner', 'c_level'],
  ['VP of Sales', 'vp'],
  ['Vice President, Marketing', 'vp'],
  ['Vice-President Engineering', 'vp'],
  ['Senior Vice President of Operations', 'vp'],
  ['V.P. Finance', 'vp'],
  ['SVP Revenue', 'vp'],
  ['Head of Growth', 'vp'],
  ['Director of Marketing', 'director'],
  ['Revenue Operations Director', 'director'],
  ['Chief of Staff', 'director'],
  ['Marketing Manager', 'manager'],
  ['Senior Sales Manager', 'manager'],
  ['Engineering Team Lead', 'manager'],
  ['Sr. Engineer', 'senior'],
  ['Senior Data Scientist', 'senior'],
  ['Principal Architect', 'senior'],
  ['Lead Designer', 'senior'],
  ['Software Engineer', 'individual'],
  ['Account Executive', 'individual'],
  ['Product Owner', 'individual'],
  ['Executive Assistant to the CEO', 'individual'],
  ['Directeur commercial', 'individual'],
  ['', 'unknown'],
  ['  ', 'unknown'],
  ['---', 'unknown'],
  [null, 'unknown'],
];

describe('parseTitleSeniority', () => {
  it.each(TITLES)('reads %j as %s', (title, level) => {
    expect(parseTitleSeniority(title)).toBe(level);
  });

  it('reads every title the demo data builds back to its level', () => {
    // The demo generator's title patterns (packages/server/src/modules/demo/demo-vocabulary.ts).
    expect(parseTitleSeniority('Chief Revenue Officer')).toBe('c_level');
    expect(parseTitleSeniority('Vice President, Revenue Operations')).toBe('vp');
    expect(parseTitleSeniority('People Director')).toBe('director');
    expect(parseTitleSeniority('Senior Growth Manager')).toBe('manager');
    expect(parseTitleSeniority('Sales Development Representative')).toBe('individual');
  });
});
