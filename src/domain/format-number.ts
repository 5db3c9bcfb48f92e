// Availability figures: enough decimals to tell 99.9% from 99.95%, never a misleading "100%".
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent >= 100) return '100%';
  // Floor, so a month with any downtime never rounds up to a perfect score.
  const floored = Math.floor(percent * 100) / 100;
  return `${floored.toFixed(2)}%`;
}
