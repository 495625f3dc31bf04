/**
 * A points model as the API sends and takes it (`leadscore-rules`, the engine's
 * rules/types.ts is the source of truth). Fields the editor does not edit are carried along
 * as they came.
 */

export type RuleGroup = 'fit' | 'engagement';

export type CriterionOp = 'equals' | 'in' | 'contains' | 'gte' | 'lte' | 'between' | 'exists';

export type CriterionValue = string | number | boolean | (string | number)[];

export type CriterionJson = ({ feature: string } | { attribute: string }) & {
  op: CriterionOp;
  value?: CriterionValue;
};

export interface RuleJson {
  id: string;
  description: string;
  group: RuleGroup;
  criterion: CriterionJson;
  points: number;
  perUnit?: boolean;
  maxPoints?: number;
}

export interface RulesJson {
  format: 'leadscore-rules';
  formatVersion: number;
  features: {
    halfLifeDays: Record<string, number>;
    defaultHalfLifeDays: number;
    [setting: string]: unknown;
  };
  rules: RuleJson[];
  caps: Record<RuleGroup, { min: number; max: number }>;
  weights: Record<RuleGroup, number>;
  grades: {
    fit: { A: number; B: number; C: number };
    engagement: { '1': number; '2': number; '3': number };
  };
}
