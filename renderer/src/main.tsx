import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './App.js';
import { connect } from './api.js';
import { NoAccessScreen } from './components/NoAccessScreen.js';
import './styles.css';

// zod compiles fast parsers with `new Function`, which the CSP (no 'unsafe-eval') refuses.
z.config({ jitless: true });

// Opening a new `scribe web` link in a tab that is already open changes only the hash, which does
// not reload the page; reload so the new token is taken up (and removed from the address bar).
window.addEventListener('hashchange', () => {
  if (window.location.hash.startsWith('#token=')) window.location.reload();
});

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');
const root = createRoot(container);

const connection = connect(() => {
  root.render(
    <StrictMode>
      <NoAccessScreen reason="token-rejected" />
    </StrictMode>,
  );
});

root.render(
  <StrictMode>{connection.kind === 'no-token' ? <NoAccessScreen reason="no-token" /> : <App api={connection.api} />}</StrictMode>,
);
