// Where the findings panel goes so that it never covers the compose box or the site's own
// controls around it (Publish, Post, the toolbar): beside the box, below the controls or
// above the box, whichever fits first on screen; else docked in the largest free band of
// the viewport, shortened to fit. Pure geometry, so it can be tried on any layout.
(() => {
  const MARGIN = 8;
  const GAP = 6;
  const MIN_HEIGHT = 96;
  // The site's controls: buttons near the box, in the nearest ancestor that has any.
  const CONTROLS = 'button, [role="button"], input[type="submit"], input[type="button"]';
  const SCOPE_LEVELS = 6;

  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const rect = (left, top, width, height) => ({ left, top, width, height, right: left + width, bottom: top + height });

  // On-screen rectangles of the site's controls around `box` (never inside it, never ours).
  function siteControls(box, ignore) {
    let scope = box.parentElement;
    for (let level = 0; scope && level < SCOPE_LEVELS; level++, scope = scope.parentElement) {
      const rects = [...scope.querySelectorAll(CONTROLS)]
        .filter((el) => !box.contains(el) && el !== ignore)
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0);
      if (rects.length) return rects;
    }
    return [];
  }

  // box: the compose box's rect; size: {width, height} of the panel; obstacles: rects to keep
  // clear (the box is one); view: {width, height}. -> {left, top, maxHeight, placement}.
  function place(box, size, obstacles, view) {
    const { width, height } = size;
    const clampX = (x) => Math.max(MARGIN, Math.min(x, view.width - width - MARGIN));
    const clampY = (y) => Math.max(MARGIN, Math.min(y, view.height - height - MARGIN));
    const lowest = Math.max(box.bottom, ...obstacles.filter((o) => o.top >= box.top).map((o) => o.bottom));
    const candidates = [
      ["right", box.right + GAP, clampY(box.top)],
      ["left", box.left - GAP - width, clampY(box.top)],
      ["below", clampX(box.right - width), lowest + GAP],
      ["above", clampX(box.right - width), box.top - GAP - height],
    ];
    const all = [box, ...obstacles];
    for (const [placement, left, top] of candidates) {
      const spot = rect(left, top, width, height);
      const onScreen = left >= MARGIN - 0.5 && top >= MARGIN - 0.5
        && spot.right <= view.width - MARGIN + 0.5 && spot.bottom <= view.height - MARGIN + 0.5;
      if (onScreen && !all.some((o) => overlaps(spot, o))) return { left, top, maxHeight: null, placement };
    }
    return dock(box, size, all, view);
  }

  // The tallest horizontal band of the viewport that no obstacle reaches into (obstacles are
  // taken across the panel's width only), the panel shortened to it.
  function dock(box, size, all, view) {
    const left = clampInto(box.right - size.width, size.width, view);
    const columns = rect(left, 0, size.width, view.height);
    const blocked = all.filter((o) => o.left < columns.right && columns.left < o.right)
      .map((o) => [Math.max(0, o.top), Math.min(view.height, o.bottom)])
      .sort((a, b) => a[0] - b[0]);
    let best = { top: MARGIN, height: 0 };
    let edge = 0;
    for (const [top, bottom] of [...blocked, [view.height, view.height]]) {
      const free = top - edge - 2 * GAP;
      if (free > best.height) best = { top: edge + GAP, height: free };
      edge = Math.max(edge, bottom);
    }
    const maxHeight = Math.max(MIN_HEIGHT, Math.min(size.height, best.height));
    return { left, top: Math.max(MARGIN, Math.min(best.top, view.height - maxHeight - MARGIN)), maxHeight, placement: "docked" };
  }

  function clampInto(x, width, view) {
    return Math.max(MARGIN, Math.min(x, view.width - width - MARGIN));
  }

  globalThis.CampfirePanelPlacement = { place, siteControls };
})();
