/**
 * The shipped teachers' manifest (public/teachers/manifest.json), read by the page for the
 * teachers' measured test accuracy. Fetched once; a missing or malformed manifest just means no
 * reference line, never an error.
 */
import { useEffect, useState } from 'react';
import type { TeacherRecord } from '../../core/models/teachers';

type TeacherAccuracy = Pick<TeacherRecord, 'dataset' | 'id' | 'testAcc'>;

let manifest: Promise<TeacherAccuracy[]> | null = null;

function loadManifest(): Promise<TeacherAccuracy[]> {
  manifest ??= fetch(`${import.meta.env.BASE_URL}teachers/manifest.json`)
    .then((r) => (r.ok ? r.json() : null))
    .then((json: unknown) => {
      const list = (json as { teachers?: unknown } | null)?.teachers;
      if (!Array.isArray(list)) return [];
      return list.filter((t): t is TeacherAccuracy => typeof t?.dataset === 'string' && typeof t?.id === 'string' && typeof t?.testAcc === 'number');
    })
    .catch(() => []);
  return manifest;
}

/** The shipped teachers' measured accuracies; null while loading. */
export function useShippedTeachers(): readonly TeacherAccuracy[] | null {
  const [list, setList] = useState<TeacherAccuracy[] | null>(null);
  useEffect(() => {
    let live = true;
    void loadManifest().then((l) => live && setList(l));
    return () => {
      live = false;
    };
  }, []);
  return list;
}

/** The shipped teacher's test accuracy for this dataset and teacher id; null while loading or when not shipped. */
export function useTeacherAccuracy(dataset: string, teacher: string): number | null {
  return useShippedTeachers()?.find((t) => t.dataset === dataset && t.id === teacher)?.testAcc ?? null;
}
