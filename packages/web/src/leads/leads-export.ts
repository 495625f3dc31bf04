import type { LeadListQuery } from '../api/api';

/**
 * Saves a download the browser was handed as a response body, under the name its
 * Content-Disposition gives. Exports are streamed by the server; the file is assembled here
 * because the API needs the bearer token, which a plain link cannot send.
 */
export async function saveResponseAsFile(response: Response): Promise<{ filename: string }> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'leads.csv';
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  // The click has handed the file to the browser; the object URL can go once it has read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { filename };
}

/** The export's query: the list's filters (its order and paging do not apply to a file). */
export function exportParams(view: Pick<LeadListQuery, 'q' | 'status'>) {
  return {
    format: 'csv',
    ...(view.q && { q: view.q }),
    ...(view.status && { status: view.status }),
  };
}
