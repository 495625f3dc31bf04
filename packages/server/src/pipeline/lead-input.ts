/**
 * Leads and activities as the engine reads them, from their database rows: one mapping for
 * the scorer, training and the rules preview, so that all three see a lead the same way.
 */
import type { LeadActivity, LeadProfile } from '@leadscore/engine';

/** The lead columns the engine's features read, to select. */
export const LEAD_PROFILE_COLUMNS = [
  'id',
  'email',
  'job_title',
  'company',
  'country',
  'industry',
  'company_size',
  'source',
  'custom_attributes',
  'created_at',
] as const;

/** The lead columns the engine's features read. */
export interface LeadProfileRow {
  id: string;
  email: string;
  job_title: string | null;
  company: string | null;
  country: string | null;
  industry: string | null;
  company_size: number | null;
  source: string | null;
  custom_attributes: unknown;
  created_at: Date;
}

/** The engine's view of a lead, from its row. */
export function toProfile(lead: LeadProfileRow): LeadProfile {
  return {
    email: lead.email,
    jobTitle: lead.job_title,
    company: lead.company,
    country: lead.country,
    industry: lead.industry,
    companySize: lead.company_size,
    source: lead.source,
    customAttributes: (lead.custom_attributes ?? null) as Record<string, unknown> | null,
    createdAt: lead.created_at.getTime(),
  };
}

/** The engine's view of an activity, from its row. */
export function toLeadActivity(row: {
  activity_type: string;
  activity_data: unknown;
  timestamp: Date;
}): LeadActivity {
  const data = row.activity_data;
  return {
    type: row.activity_type,
    timestamp: row.timestamp.getTime(),
    ...(data !== null && typeof data === 'object' && { data: data as Record<string, unknown> }),
  };
}
