/*
 * Zoom and pan of the drawing with d3-zoom: d3 only moves the canvas
 * group, React owns the rest of the DOM. The wheel zooms only with Ctrl
 * or Cmd, so the page still scrolls over the drawing.
 */
import { RefObject, useCallback, useEffect, useRef } from 'react';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, ZoomBehavior } from 'd3-zoom';

export const MIN_INITIAL_SCALE = 0.75;

/** Natural size when it fits, else down to 3/4 (labels stay readable); the rest pans. */
export function initialScale(available: number | undefined, width: number) {
  if (!available) return 1;
  return Math.max(MIN_INITIAL_SCALE, Math.min(1, available / width));
}

export function useZoom(
  svg: RefObject<SVGSVGElement | null>,
  canvas: RefObject<SVGGElement | null>,
  size: { width: number; height: number },
) {
  const behaviour = useRef<ZoomBehavior<SVGSVGElement, unknown>>();
  const fit = useCallback(
    () => initialScale(svg.current?.clientWidth, size.width),
    [svg, size.width],
  );

  useEffect(() => {
    if (!svg.current || !canvas.current) return undefined;
    const group = select(canvas.current);
    const element = svg.current;
    const z = zoom<SVGSVGElement, unknown>()
      // Explicit extent: d3's default reads SVG lengths some DOMs (jsdom) lack.
      .extent(() => [
        [0, 0],
        [
          element.clientWidth || size.width,
          element.clientHeight || size.height,
        ],
      ])
      .scaleExtent([0.25, 3])
      .filter(
        event =>
          !!event.view &&
          !event.button &&
          event.type !== 'dblclick' &&
          (event.type !== 'wheel' || event.ctrlKey || event.metaKey),
      )
      .on('zoom', event => group.attr('transform', event.transform.toString()));
    behaviour.current = z;
    const selection = select(element);
    selection.call(z);
    selection.call(z.transform, zoomIdentity.scale(fit()));
    return () => {
      selection.on('.zoom', null);
    };
  }, [svg, canvas, fit, size.width, size.height]);

  const zoomBy = (factor: number) => {
    if (svg.current && behaviour.current)
      select(svg.current).call(behaviour.current.scaleBy, factor);
  };
  const reset = () => {
    if (svg.current && behaviour.current)
      select(svg.current).call(
        behaviour.current.transform,
        zoomIdentity.scale(fit()),
      );
  };
  return { zoomBy, reset };
}
