/**
 * Domain events, published by the parts that make them (the scorer, ingestion, training,
 * alert rules) and delivered to whoever listens (the socket.io gateway, webhooks). Events are
 * published after the transaction that made them has committed, and always for one
 * organisation: a listener must never pass one organisation's event to another's clients.
 */
import { EventEmitter } from 'node:events';

export interface LeadScoreUpdated {
  readonly leadId: string;
  readonly score: number;
  readonly previousScore: number | null;
  readonly modelId: string | null;
  /** As stored in `lead_scores.score_breakdown` (behavioral, demographic, engagement, grade…). */
  readonly breakdown: Readonly<Record<string, unknown>>;
  readonly calculatedAt: string;
}

export interface NewLeadActivity {
  readonly leadId: string;
  readonly activityId: string;
  readonly type: string;
  readonly timestamp: string;
}

export interface ModelTrainingComplete {
  readonly modelId: string;
  readonly status: 'succeeded' | 'failed';
  readonly rocAuc?: number;
  readonly error?: string;
}

export interface AlertTriggered {
  readonly alertRuleId: string;
  readonly leadId: string;
  readonly message: string;
  readonly score: number;
  readonly previousScore: number | null;
}

/** A bulk rescore's progress (GET /scoring/rescores/{id}), after each batch and at its end. */
export interface RescoreProgress {
  readonly rescoreId: string;
  /** The model the leads are rescored with; null: the built-in default rules. */
  readonly modelId: string | null;
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed' | 'superseded';
  readonly total: number | null;
  readonly done: number;
  readonly failed: number;
}

/** Event name → payload: the real-time API's vocabulary (ARCHITECTURE.md §5). */
export interface DomainEvents {
  lead_score_updated: LeadScoreUpdated;
  new_lead_activity: NewLeadActivity;
  model_training_complete: ModelTrainingComplete;
  alert_triggered: AlertTriggered;
  rescore_progress: RescoreProgress;
}

export type DomainEventName = keyof DomainEvents;

export type DomainEventListener = <K extends DomainEventName>(
  organizationId: string,
  event: K,
  payload: DomainEvents[K],
) => void;

export interface EventBus {
  publish<K extends DomainEventName>(
    organizationId: string,
    event: K,
    payload: DomainEvents[K],
  ): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: DomainEventListener): () => void;
}

/**
 * Delivers events to listeners in this process. A listener that throws is reported through
 * `onListenerError` and does not stop delivery to the others: a broken webhook must not
 * silence the dashboard.
 */
export function createInProcessEventBus(
  onListenerError: (error: unknown, event: DomainEventName) => void,
): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(organizationId, event, payload) {
      for (const listener of emitter.listeners('event') as DomainEventListener[]) {
        try {
          listener(organizationId, event, payload);
        } catch (error) {
          onListenerError(error, event);
        }
      }
    },
    subscribe(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
}
