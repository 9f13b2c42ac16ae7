import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from './api.js';
import { html } from './html.js';

/** A page of a merchant API list: newest first, `nextCursor` names the next (older) page. */
export interface KeysetPage<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/**
 * A list of the merchant API paged by its keyset cursor (transactions, contacts, the audit log).
 * The cursors of the pages seen are kept, so Newer goes back without an API for it; `restart` goes
 * to the first page (a new search). Only what the user asked for is announced (`12 contacts
 * shown.`): a first load or a mode switch would talk over the focused heading and its own message.
 */
export function useKeysetPages<T>(options: {
  path: string;
  /** Filters sent with every page; empty values are left out. */
  filters: Record<string, string>;
  /** The plural shown in the announcement, e.g. `transactions`. */
  noun: string;
  announce: (message: string) => void;
  /** Reloads when it changes: the session's mode. */
  livemode: boolean;
  limit?: number;
  /** The pager's accessible name, when a page has more than one. */
  label?: string;
}) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [page, setPage] = useState<KeysetPage<T> | null>(null);
  const cursor = cursors[cursors.length - 1];
  const asked = useRef(false);
  // Counts the user's requests, so the same search asked again loads again.
  const [requests, setRequests] = useState(0);
  const turnTo = (next: Array<string | undefined>) => {
    asked.current = true;
    setRequests((count) => count + 1);
    setCursors(next);
  };
  const filters = new URLSearchParams(Object.entries(options.filters).filter(([, value]) => value !== ''));
  const filterKey = filters.toString();

  useEffect(() => {
    const params = new URLSearchParams(filters);
    params.set('limit', String(options.limit ?? 25));
    if (cursor) params.set('cursor', cursor);
    api<KeysetPage<T>>('GET', `${options.path}?${params}`).then(
      (loaded) => {
        setPage(loaded);
        if (asked.current) options.announce(`${loaded.data.length} ${options.noun} shown.`);
        asked.current = false;
      },
      (caught: unknown) => options.announce(errorText(caught)),
    );
  }, [filterKey, cursor, requests, options.livemode]);

  const pager = html`<nav aria-label=${options.label ?? 'Pages'} class="pager">
    <button disabled=${cursors.length < 2} onClick=${() => turnTo(cursors.slice(0, -1))}>Newer</button>
    <button
      disabled=${!page?.hasMore}
      onClick=${() => page?.nextCursor && turnTo([...cursors, page.nextCursor])}
    >
      Older
    </button>
  </nav>`;
  return { page, pager, restart: () => turnTo([undefined]), filterQuery: filterKey };
}
