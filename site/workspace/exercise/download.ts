import type { ExerciseContext } from './context.ts';

/** The student's files as a zip, each under a folder named for the exercise. */
export async function zipDrafts(slug: string, files: Record<string, string>): Promise<Uint8Array<ArrayBuffer>> {
  const { zipSync, strToU8 } = await import('fflate');
  const entries = Object.fromEntries(Object.entries(files).map(([path, text]) => [`${slug}/${path}`, strToU8(text)]));
  return zipSync(entries, { level: 6 }) as Uint8Array<ArrayBuffer>;
}

/** "Download my files": saves the drafts as `<exercise>.zip`. */
export function mountDownload(ctx: ExerciseContext): void {
  ctx.find<HTMLButtonElement>('[data-action="download"]')?.addEventListener('click', async () => {
    ctx.saver.flush();
    const zip = await zipDrafts(ctx.data.slug, ctx.drafts.all());
    const url = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${ctx.data.slug}.zip`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
}
