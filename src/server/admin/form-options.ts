// Choices offered by the admin forms, labelled as customers will read them.
import { COMPONENT_STATUS_LABELS, IMPACT_LABELS, INCIDENT_LEVELS, INCIDENT_STATUS_LABELS, OPEN_INCIDENT_STATUSES } from '../../domain/status.ts';

export interface Option {
  value: string;
  label: string;
}

export const IMPACT_OPTIONS: Option[] = [
  { value: 'critical', label: `${IMPACT_LABELS.critical} — a core service is down for many customers` },
  { value: 'major', label: `${IMPACT_LABELS.major} — a service is down or badly degraded for some` },
  { value: 'minor', label: `${IMPACT_LABELS.minor} — degraded, with a workaround` },
  { value: 'none', label: `${IMPACT_LABELS.none} — a notice, nothing broken` },
];

export const OPEN_STATUS_OPTIONS: Option[] = OPEN_INCIDENT_STATUSES.map((s) => ({
  value: s,
  label: INCIDENT_STATUS_LABELS[s],
}));

export const IMPACT_LEVEL_OPTIONS: Option[] = INCIDENT_LEVELS.map((l) => ({
  value: l,
  label: COMPONENT_STATUS_LABELS[l],
}));

export const LEVEL_OPTIONS: Option[] = [{ value: 'operational', label: COMPONENT_STATUS_LABELS.operational }, ...IMPACT_LEVEL_OPTIONS];
