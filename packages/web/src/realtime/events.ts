/**
 * The real-time API's events as the dashboard receives them (the server's
 * events/event-bus.ts is the source of truth; these are the fields the dashboard reads).
 */
export interface OrganizationEvents {
  lead_score_updated: {
    leadId: string;
    score: number;
    previousScore: number | null;
    modelId: string | null;
    breakdown: Record<string, unknown>;
    calculatedAt: string;
  };
  new_lead_activity: { leadId: string; activityId: string; type: string; timestamp: string };
  model_training_complete: {
    modelId: string;
    status: 'succeeded' | 'failed';
    rocAuc?: number;
    error?: string;
  };
  alert_triggered: {
    alertRuleId: string;
    leadId: string;
    message: string;
    score: number;
    previousScore: number | null;
  };
  rescore_progress: {
    rescoreId: string;
    modelId: string | null;
    status: 'queued' | 'running' | 'succeeded' | 'failed' | 'superseded';
    total: number | null;
    done: number;
    failed: number;
  };
}

export type OrganizationEventName = keyof OrganizationEvents;
