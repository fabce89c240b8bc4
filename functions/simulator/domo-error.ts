import { STATUS_CODES } from 'node:http';

/** Domo's public-API error body (domo-api-notes §1.3). */
interface DomoErrorBody {
  status: number;
  statusReason: string;
  message: string;
  path: string;
  toe: string;
}

/** An error body; `toe` is Domo's trace id, here a counter so runs stay reproducible. */
export function domoError(status: number, message: string, path: string, toeNumber: number): DomoErrorBody {
  return {
    status,
    statusReason: STATUS_CODES[status] ?? 'Error',
    message,
    path,
    toe: `SIM${toeNumber.toString(16).toUpperCase().padStart(13, '0')}`,
  };
}
