import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * A zip archive on disk, read by its central directory (yauzl): members are found by name and
 * streamed, whatever order the writer put them in.
 */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ReadonlyMap<string, yauzl.Entry>,
  ) {}

  static open(path: string): Promise<ZipArchive> {
    return new Promise((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
        if (error || !zip) return reject(error ?? new Error('not a zip archive'));
        const entries = new Map<string, yauzl.Entry>();
        zip.on('entry', (entry: yauzl.Entry) => {
          entries.set(entry.fileName, entry);
          zip.readEntry();
        });
        zip.once('end', () => resolve(new ZipArchive(zip, entries)));
        zip.once('error', (failure: Error) => {
          zip.close();
          reject(failure);
        });
        zip.readEntry();
      });
    });
  }

  /** The member's uncompressed bytes as a stream; fails naming a member the archive lacks. */
  stream(name: string): Promise<Readable> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.reject(new Error(`it has no ${name}`));
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return reject(error);
        // yauzl's stream is an older kind that async iteration can stall on; a PassThrough is not.
        const out = new PassThrough();
        stream.once('error', (failure) => out.destroy(failure));
        resolve(stream.pipe(out));
      });
    });
  }

  async close(): Promise<void> {
    this.zip.close();
  }
}
