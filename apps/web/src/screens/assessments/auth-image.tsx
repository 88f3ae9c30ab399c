/**
 * An <img> for a question's picture. Uploaded images (and course materials)
 * are behind the API's access checks, which need the bearer token an <img src>
 * cannot send: those are fetched and shown from a blob URL. https links load
 * as usual.
 */
import { useEffect, useState } from 'preact/hooks';
import { imageBlob } from './assess-api';

export function AuthImage({ src, alt = '', class: cls }: { src: string; alt?: string; class?: string }) {
  const local = src.startsWith('/api/');
  const [url, setUrl] = useState<string | null>(local ? null : src);
  useEffect(() => {
    if (!local) {
      setUrl(src);
      return;
    }
    let made: string | null = null;
    let live = true;
    imageBlob(src).then(
      (blob) => {
        made = URL.createObjectURL(blob);
        if (live) setUrl(made);
        else URL.revokeObjectURL(made);
      },
      () => live && setUrl(null),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [src]);
  return url ? (
    <img class={cls} src={url} alt={alt} loading="lazy" data-testid="question-image" />
  ) : (
    <span class={`${cls ?? ''} assess-img-wait`} aria-hidden="true" />
  );
}
