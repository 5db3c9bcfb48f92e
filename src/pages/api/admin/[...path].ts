// Anything else under /api/admin/: a JSON 404 rather than the HTML page (after the guard's 401).
import { apiError } from '../../../server/write-api/errors.ts';

export const ALL = () => apiError(404, 'not_found', 'No such admin API endpoint. See docs/api.md, "Write API".');
