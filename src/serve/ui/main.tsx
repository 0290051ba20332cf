import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { CatalogPage, DownloadsPage, FindingsPage, FlowPageView, MatrixPage, OverviewPage } from './pages';
import { DrawingPage } from './drawing';
import { useConnected } from './live';
import './style.css';

const tabs = [
  ['overview', 'Overview'],
  ['drawing', 'Drawing'],
  ['matrix', 'Matrix'],
  ['findings', 'Findings'],
  ['catalog', 'Catalog'],
  ['downloads', 'Downloads'],
] as const;

/** Routes live in the hash (#/matrix?zone=dmz, #/flow/<id>), so the server has one page to serve. */
function useRoute(): { page: string; arg: string; query: URLSearchParams } {
  const read = () => {
    const hash = window.location.hash.replace(/^#\/?/, '');
    const [path = '', query = ''] = hash.split('?');
    const [page = 'overview', ...rest] = path.split('/');
    return { page: page || 'overview', arg: decodeURIComponent(rest.join('/')), query: new URLSearchParams(query) };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => { setRoute(read()); };
    window.addEventListener('hashchange', on);
    return () => { window.removeEventListener('hashchange', on); };
  }, []);
  return route;
}

function App() {
  const route = useRoute();
  const connected = useConnected();
  return (
    <>
      <header>
        <strong>scomfw</strong>
        <nav>
          {tabs.map(([id, label]) => (
            <a key={id} href={`#/${id}`} className={route.page === id ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <span className={`live ${connected ? 'on' : 'off'}`} data-testid="live" title="live updates from the server">
          {connected ? '● live' : '○ offline'}
        </span>
      </header>
      <main>
        {route.page === 'overview' && <OverviewPage />}
        {route.page === 'drawing' && <DrawingPage />}
        {route.page === 'matrix' && <MatrixPage query={route.query} />}
        {route.page === 'flow' && <FlowPageView id={route.arg} />}
        {route.page === 'findings' && <FindingsPage />}
        {route.page === 'catalog' && <CatalogPage />}
        {route.page === 'downloads' && <DownloadsPage />}
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
