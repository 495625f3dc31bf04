import { useState } from 'react';

/** A page of a settings list: small lists, so one generous page, with a way on when there is more. */
export const SETTINGS_PAGE_SIZE = 100;

export interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

/**
 * Cursor paging for a settings list: the way back is the cursors already followed (the API's
 * cursors only go forwards).
 */
export function useCursorPages(): CursorPages {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    query: { limit: SETTINGS_PAGE_SIZE, cursor: cursors.at(-1) },
    page: cursors.length + 1,
    hasPrevious: cursors.length > 0,
    previous: () => setCursors((followed) => followed.slice(0, -1)),
    next: (cursor: string) => setCursors((followed) => [...followed, cursor]),
  };
}

export interface CursorPages {
  /** The page to ask for. */
  query: PageQuery;
  /** 1 for the first. */
  page: number;
  hasPrevious: boolean;
  previous: () => void;
  /** Follows the answer's nextCursor. */
  next: (cursor: string) => void;
}

/** The query parameters of a page. */
export const pageParams = ({ cursor, limit }: PageQuery) => ({ limit, ...(cursor && { cursor }) });
