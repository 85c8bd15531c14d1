import { useCallback } from "react";
import useSWR, { mutate } from "swr";
import useSWRInfinite, { unstable_serialize } from "swr/infinite";
import {
  getLookout,
  type Lookout,
  type LookoutRun,
  limitDetails,
  listLookoutRuns,
  listLookouts,
} from "../../lib/lookouts";
import { DEFAULT_LIMITS } from "../../lib/schedule";
import type { Page } from "../../lib/types";

/** While a run is under way, the page asks again this often, so the report link appears without a reload. */
const POLL_MS = 4000;

const isRunning = (lookout: Lookout | undefined) => lookout?.status === "running";

const listKey = (index: number, previous: Page<Lookout> | null): [string, string | null] | null => {
  if (previous && !previous.nextCursor) return null;
  return ["lookouts", index === 0 ? null : (previous?.nextCursor ?? null)];
};

const detailKey = (id: string) => ["lookout", id] as const;
const runsKey = (id: string) => ["lookout-runs", id] as const;

/** The user's lookouts, newest first, one keyset page at a time. */
export function useLookoutList() {
  const result = useSWRInfinite<Page<Lookout>>(listKey, ([, cursor]: [string, string | null]) => listLookouts(cursor), {
    refreshInterval: (pages) => (pages?.some((page) => page.items.some(isRunning)) ? POLL_MS : 0),
  });
  const { mutate: mutatePages, setSize } = result;
  const pages = result.data ?? [];
  const lookouts = pages.flatMap((page) => page.items);
  const hasMore = pages.length > 0 && Boolean(pages.at(-1)?.nextCursor);
  const loadMore = useCallback(() => setSize((size) => size + 1), [setSize]);

  const replace = useCallback(
    (lookout: Lookout) => {
      void mutate(detailKey(lookout.id), lookout, { revalidate: false });
      return mutatePages(
        (current) =>
          current?.map((page) => ({
            ...page,
            items: page.items.map((item) => (item.id === lookout.id ? lookout : item)),
          })),
        { revalidate: false },
      );
    },
    [mutatePages],
  );
  const remove = useCallback(
    (id: string) =>
      mutatePages(
        (current) => current?.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })),
        { revalidate: false },
      ),
    [mutatePages],
  );
  const add = useCallback(
    (lookout: Lookout) =>
      mutatePages(
        (current) => {
          if (!current || current.length === 0) return [{ items: [lookout], nextCursor: null }];
          const [first, ...rest] = current as [Page<Lookout>, ...Page<Lookout>[]];
          return [{ ...first, items: [lookout, ...first.items.filter((item) => item.id !== lookout.id)] }, ...rest];
        },
        { revalidate: true },
      ),
    [mutatePages],
  );
  return { ...result, lookouts, hasMore, loadMore, replace, remove, add };
}

/** Reloads the list after a change made elsewhere (the lookout's own page). */
export function refreshLookoutList() {
  return mutate(unstable_serialize(listKey));
}

/** One lookout, asked again while it runs. */
export function useLookout(id: string) {
  return useSWR(detailKey(id), () => getLookout(id), {
    refreshInterval: (lookout) => (isRunning(lookout) ? POLL_MS : 0),
  });
}

/** Updates the lookout wherever it is shown. */
export function storeLookout(lookout: Lookout) {
  void refreshLookoutList();
  return mutate(detailKey(lookout.id), lookout, { revalidate: false });
}

/** The run history, asked again while a run is under way. */
export function useLookoutRuns(id: string, running: boolean) {
  return useSWR<Page<LookoutRun>>(runsKey(id), () => listLookoutRuns(id), {
    refreshInterval: running ? POLL_MS : 0,
  });
}

export function refreshLookoutRuns(id: string) {
  return mutate(runsKey(id));
}

const LIMITS_KEY = "lookout-limits";
export type LookoutLimits = typeof DEFAULT_LIMITS;

/** The limits as far as the page knows them: the defaults until the server names its own. */
export function useLookoutLimits(): LookoutLimits {
  const { data } = useSWR<LookoutLimits>(LIMITS_KEY, null, { fallbackData: DEFAULT_LIMITS });
  return data ?? DEFAULT_LIMITS;
}

/** Keeps the numbers a LIMIT_REACHED error gives, so the help text shows the server's own. */
export function learnLimits(error: unknown) {
  const details = limitDetails(error);
  if (!details) return;
  void mutate<LookoutLimits>(
    LIMITS_KEY,
    (current) => ({
      ...(current ?? DEFAULT_LIMITS),
      [details.limit === "lookouts" ? "lookouts" : "activeDaily"]: details.max,
    }),
    { revalidate: false },
  );
}
