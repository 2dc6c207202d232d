import { RefObject, useEffect, useState } from 'react';

/** The width an element has on the page, followed as the page resizes. */
export function useAvailableWidth(
  element: RefObject<HTMLElement>,
): number | undefined {
  const [width, setWidth] = useState<number | undefined>();
  useEffect(() => {
    const el = element.current;
    if (!el) return undefined;
    setWidth(el.clientWidth || undefined);
    // jsdom has no ResizeObserver: there the layout keeps its default width.
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() =>
      setWidth(el.clientWidth || undefined),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [element]);
  return width;
}
