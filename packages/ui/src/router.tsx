import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './lib/routes.ts';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === `${location.pathname}${location.search}`) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const current = () => `${location.pathname}${location.search}`;

export function useRoute(): Route {
  const url = useSyncExternalStore(subscribe, current);
  const query = url.indexOf('?');
  return parseRoute(query === -1 ? url : url.slice(0, query), query === -1 ? '' : url.slice(query));
}

/**
 * An anchor that navigates in place, leaving modified clicks (new tab, …) to the browser. With
 * `replace` it changes the current history entry and keeps the scroll position: a selection within
 * the page, not a new page.
 */
export function Link({
  href,
  onClick,
  replace = false,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; replace?: boolean }) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(href, { replace });
    if (!replace) window.scrollTo(0, 0);
  };
  return <a href={href} onClick={click} {...rest} />;
}
