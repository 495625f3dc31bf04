import { describe, expect, it } from 'vitest';
import { activityDetails, activityTitle } from './activity-description';

describe('activities in words', () => {
  it('names known types as a sales rep says them, and custom ones by their name', () => {
    expect(activityTitle('demo_request')).toBe('Requested a demo');
    expect(activityTitle('custom:trial_started')).toBe('Trial started');
  });

  it('picks the telling fields of the data, a form by its name rather than its id', () => {
    expect(
      activityDetails({ form_id: 'frm_1', form_name: 'Contact us', utm: { source: 'x' } }),
    ).toEqual([{ label: 'Form', value: 'Contact us' }]);
    expect(
      activityDetails({ url: 'https://a.example/', title: 'Home', duration_seconds: 40 }),
    ).toEqual([
      { label: 'Page', value: 'Home' },
      { label: 'URL', value: 'https://a.example/' },
      { label: 'Seconds on page', value: '40' },
    ]);
  });

  it('shows the plain values of data it does not know', () => {
    expect(activityDetails({ seats: 5, plan_name: 'Team', nested: {} })).toEqual([
      { label: 'Seats', value: '5' },
      { label: 'Plan name', value: 'Team' },
    ]);
  });
});
