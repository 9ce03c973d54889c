/**
 * The files a user hands the page, as the worker's import takes them (path + File): from a file
 * input (a folder picked with webkitdirectory carries each file's relative path) or from a drop,
 * whose folders are walked through the File and Directory Entries API. Only Files are collected
 * here; reading them is the worker's job.
 */
import type { ImportUpload } from '../worker/protocol';

export interface Picked {
  name: string; // the dataset's name: the folder's, or the single file's
  files: ImportUpload[];
}

const topName = (uploads: ImportUpload[]): string => {
  const first = uploads[0]?.path ?? 'data';
  return uploads.length === 1 || !first.includes('/') ? first : first.slice(0, first.indexOf('/'));
};

/** The files of a file input (`webkitRelativePath` when a folder was picked). */
export function fromFileList(list: FileList | File[]): Picked {
  const files = Array.from(list, (file) => ({ path: file.webkitRelativePath || file.name, file }));
  return { name: topName(files), files };
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in batches (Chromium: 100) until it gives an empty one.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: ImportUpload[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, out);
  }
}

/** The files of a drop: folders walked, plain files as they are. */
export async function fromDrop(data: DataTransfer): Promise<Picked> {
  // Entries must be taken before the first await: the DataTransfer empties after the event.
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return fromFileList(data.files);
  const files: ImportUpload[] = [];
  for (const e of entries) await walk(e, files);
  return { name: topName(files), files };
}
