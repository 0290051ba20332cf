import { useState } from 'react';
import { flowHref, getJson, type Catalog, type CatalogRow, type Findings, type FlowPage, type FlowSummary, type Matrix, type Overview, type Reading } from './api';
import { Guard, Status, useData, when } from './data';
import { usePushedFlows } from './live';

export function OverviewPage() {
  const loaded = useData<Overview>('/api/overview');
  return (
    <Guard loaded={loaded}>
      {(o) => (
        <section>
          <h1>
            {o.managementGroup} <small className="muted">catalog {o.catalog}, plan phase {o.phase}</small>
          </h1>
          <div className="cards" data-testid="counts">
            <Card label="flows planned" value={o.counts.planned} href="#/matrix" />
            <Card label="proven open" value={o.counts.open} status="open" href="#/matrix?state=open" />
            <Card label="failing" value={o.counts.failing} status="failing" href="#/matrix?state=failing" />
            <Card label="unproven" value={o.counts.unproven} status="unproven" href="#/matrix?state=unproven" />
            <Card label="hosts reported" value={`${o.reporterCount} / ${o.sources}`} />
          </div>
          {o.unknownFlows > 0 && <p className="warn">{o.unknownFlows} result rows named flows this plan does not have (a prober run with another deployment file?).</p>}
          <h2>Regressions: open before, failing now ({o.regressions.length})</h2>
          <FlowList flows={o.regressions} empty="none" />
          <h2>Failing ({o.counts.failing})</h2>
          <FlowList flows={o.failing} empty="nothing is failing" />
          <h2>Last result per host ({o.reporterCount}{o.reporterCount > o.reporters.length ? `, the newest ${o.reporters.length} shown` : ''})</h2>
          {o.reporters.length === 0 ? (
            <p className="muted">no results yet: run scomfw check --report-to or verify.ps1 -ReportTo on the hosts</p>
          ) : (
            <table>
              <thead>
                <tr><th>host</th><th>prober</th><th>finished</th><th>received</th><th>open</th><th>closed</th><th>filtered</th><th>open|filtered</th><th>unprovable</th></tr>
              </thead>
              <tbody>
                {o.reporters.map((r) => (
                  <tr key={r.source}>
                    <td><a href={`#/matrix?host=${encodeURIComponent(r.source)}`}>{r.source}</a></td>
                    <td>{r.prober}</td>
                    <td>{when(r.finishedAt)}</td>
                    <td>{when(r.receivedAt)}</td>
                    <td className="num">{r.summary.open}</td>
                    <td className="num">{r.summary.closed}</td>
                    <td className="num">{r.summary.filtered}</td>
                    <td className="num">{r.summary['open|filtered']}</td>
                    <td className="num">{r.summary.unprovable}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Hosts that never reported ({o.silentCount})</h2>
          <p className="hosts">{o.silent.length === 0 ? <span className="muted">none</span> : o.silent.join(', ')}{o.silentCount > o.silent.length ? ' …' : ''}</p>
        </section>
      )}
    </Guard>
  );
}

function Card({ label, value, status, href }: { label: string; value: number | string; status?: string; href?: string }) {
  const body = (
    <>
      <span className="value">{value}</span>
      <span className="label">{label}</span>
    </>
  );
  return href ? <a className={`card ${status ?? ''}`} href={href}>{body}</a> : <div className={`card ${status ?? ''}`}>{body}</div>;
}

function FlowList({ flows, empty }: { flows: FlowSummary[]; empty: string }) {
  if (flows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="flows">
      {flows.map((f) => (
        <li key={f.id}>
          <Status status={f.status} /> <a href={flowHref(f.id)}>{f.id}</a> <span className="muted">{f.reason}</span>
        </li>
      ))}
    </ul>
  );
}

const filterNames = ['host', 'role', 'zone', 'port', 'phase', 'state'] as const;

export function MatrixPage({ query }: { query: URLSearchParams }) {
  const params = new URLSearchParams();
  for (const k of filterNames) {
    const v = query.get(k);
    if (v) params.set(k, v);
  }
  const loaded = useData<Matrix>(`/api/matrix?${params.toString()}`);
  const setFilter = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    window.location.hash = `#/matrix?${next.toString()}`;
  };
  return (
    <section>
      <h1>Flow matrix</h1>
      <Guard loaded={loaded}>
        {(m) => (
          <>
            <form className="filters" onSubmit={(e) => { e.preventDefault(); }}>
              <label>host <TextFilter value={params.get('host') ?? ''} onCommit={(v) => { setFilter('host', v); }} /></label>
              <Select label="role" value={params.get('role') ?? ''} options={m.facets.roles} onChange={(v) => { setFilter('role', v); }} />
              <Select label="zone" value={params.get('zone') ?? ''} options={m.facets.zones} onChange={(v) => { setFilter('zone', v); }} />
              <label>port <TextFilter value={params.get('port') ?? ''} onCommit={(v) => { setFilter('port', v); }} /></label>
              <Select label="phase" value={params.get('phase') ?? ''} options={m.facets.phases} onChange={(v) => { setFilter('phase', v); }} />
              <Select label="state" value={params.get('state') ?? ''} options={m.facets.states} onChange={(v) => { setFilter('state', v); }} />
            </form>
            <p className="muted" data-testid="matrix-count">
              {m.flows.length < m.total ? `showing ${m.flows.length} of ${m.total} flows: narrow with the filters` : `${m.total} flows`}
            </p>
            <Grid flows={m.flows} />
          </>
        )}
      </Guard>
    </section>
  );
}

function TextFilter({ value, onCommit }: { value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(value);
  return <input value={text} onChange={(e) => { setText(e.target.value); }} onBlur={() => { onCommit(text.trim()); }} onKeyDown={(e) => { if (e.key === 'Enter') onCommit(text.trim()); }} size={14} />;
}

function Select({ label, value, options, onChange }: { label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => { onChange(e.target.value); }}>
        <option value="">any</option>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}

/** Sources down, destinations across; a cell holds one link per flow between the two, coloured by its state. */
function Grid({ flows: loaded }: { flows: FlowSummary[] }) {
  // A pushed state shows at once; the refetch that follows brings the counts and the filters up to date.
  const pushed = usePushedFlows();
  const flows = loaded.map((f) => pushed.get(f.id) ?? f);
  const sources = [...new Set(flows.map((f) => f.source))].sort();
  const destinations = [...new Set(flows.map((f) => f.destination))].sort();
  const cells = new Map<string, FlowSummary[]>();
  for (const f of flows) {
    const key = `${f.source}\n${f.destination}`;
    const list = cells.get(key);
    if (list) list.push(f);
    else cells.set(key, [f]);
  }
  if (flows.length === 0) return <p className="muted">no flow passes these filters</p>;
  return (
    <div className="matrix-wrap">
      <table className="matrix">
        <thead>
          <tr>
            <th className="corner">source ↓ destination →</th>
            {destinations.map((d) => <th key={d} className="dest"><span>{d}</span></th>)}
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s}>
              <th className="src">{s}</th>
              {destinations.map((d) => (
                <td key={d}>
                  {(cells.get(`${s}\n${d}`) ?? []).map((f) => (
                    <a key={f.id} className={`chip ${f.status}`} href={flowHref(f.id)} data-flow={f.id} data-status={f.status} title={`${f.id}: ${f.status}, ${f.reason}${f.phase === 'install' ? ' (install phase)' : ''}`}>
                      {f.service}
                      {f.phase === 'install' ? '*' : ''}
                      {f.status === 'failing' && <span className="reason">{f.reason}</span>}
                    </a>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">* install phase only. Green: proven open; red: failing (closed or filtered); grey: unproven (no result, or a probe cannot prove it).</p>
    </div>
  );
}

export function FlowPageView({ id }: { id: string }) {
  const loaded = useData<FlowPage>(`/api/flows/${encodeURIComponent(id)}`);
  return (
    <Guard loaded={loaded}>
      {(p) => (
        <section>
          <h1 className="flow-id">{p.flow.id}</h1>
          <p>
            <Status status={p.state?.status ?? 'unproven'} />{' '}
            {p.state ? (
              <span data-testid="flow-state">
                {p.state.state} ({p.state.reason}) from {p.state.source} to {p.state.address} at {when(p.state.at)}
                {p.state.rttMs !== null ? `, ${p.state.rttMs} ms` : ''}: {p.state.detail}
              </span>
            ) : (
              <span className="muted">no result yet</span>
            )}
          </p>
          <table className="facts">
            <tbody>
              <tr><th>source</th><td>{p.flow.source.name} <span className="muted">({p.flow.source.roles.join(', ')}; zone {p.flow.source.zone}; {p.flow.source.addresses.join(', ')})</span></td></tr>
              <tr><th>destination</th><td>{p.flow.destination.name} <span className="muted">({p.flow.destination.roles.join(', ')}; zone {p.flow.destination.zone}; {p.flow.destination.addresses.join(', ')})</span></td></tr>
              <tr><th>protocol / ports</th><td>{p.flow.protocol} {p.flow.ports ? (p.flow.ports.from === p.flow.ports.to ? p.flow.ports.from : `${p.flow.ports.from}-${p.flow.ports.to}`) : 'echo'}</td></tr>
              <tr><th>phase</th><td>{p.flow.phase}</td></tr>
            </tbody>
          </table>
          {p.flow.notes.length > 0 && (
            <>
              <h2>Notes</h2>
              <ul>{p.flow.notes.map((n) => <li key={n}>{n}</li>)}</ul>
            </>
          )}
          <h2>Catalog rows that ask for this flow</h2>
          <CatalogRows rows={p.rows} />
          <h2>History ({p.history.length})</h2>
          {p.history.length === 0 ? (
            <p className="muted">no result yet</p>
          ) : (
            <table>
              <thead><tr><th>time</th><th>host</th><th>address</th><th>state</th><th>reason</th><th>RTT ms</th><th>attempts</th><th>detail</th></tr></thead>
              <tbody>
                {p.history.map((h, i) => (
                  <tr key={`${h.fileId}-${h.address}-${i}`}>
                    <td>{when(h.at)}</td>
                    <td>{h.source}</td>
                    <td>{h.address}</td>
                    <td><Status status={stateClass(h.state)}>{h.state}</Status></td>
                    <td>{h.reason}</td>
                    <td className="num">{h.rttMs ?? '–'}</td>
                    <td className="num">{h.attempts}</td>
                    <td>{h.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Guard>
  );
}

function stateClass(state: string): string {
  return state === 'open' ? 'open' : state === 'closed' || state === 'filtered' ? 'failing' : 'unproven';
}

function readingText(r: Reading): string {
  const ports = r.ports.kind === 'fixed' ? (r.ports.from === r.ports.to ? `${r.ports.from}` : `${r.ports.from}-${r.ports.to}`) : r.ports.kind === 'setting' ? `<${r.ports.setting}>` : 'echo';
  return `${r.source} → ${r.destination} ${r.protocol}/${ports}, ${r.phase}, paired by ${r.pairing}${r.when ? `, when ${r.when}` : ''}`;
}

function CatalogRows({ rows }: { rows: CatalogRow[] }) {
  return (
    <table className="catalog">
      <thead><tr><th>row</th><th>feature A</th><th>port and direction</th><th>feature B</th><th>configurable</th><th>note</th><th>scomfw's reading</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{r.id}</td>
            <td>{r.doc.featureA}</td>
            <td>{r.doc.portAndDirection}</td>
            <td>{r.doc.featureB}</td>
            <td>{r.doc.configurable}</td>
            <td>{r.doc.note}</td>
            <td>
              <ul className="readings">{r.readings.map((x, i) => <li key={i}>{readingText(x)}</li>)}</ul>
              {r.erratum && <p className="warn">erratum: {r.erratum.text} <span className="muted">({r.erratum.evidence})</span></p>}
              {r.feature && <p className="muted">only with feature {r.feature}</p>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FindingsPage() {
  const loaded = useData<Findings>('/api/findings');
  return (
    <section>
      <h1>Audit findings</h1>
      <Guard loaded={loaded}>
        {(f) =>
          f.id === null ? (
            <p className="muted">no findings posted yet: POST the JSON of scomfw audit to /api/findings with the token</p>
          ) : (
            <>
              <p className="muted">received {f.receivedAt ? when(f.receivedAt) : ''}; {f.findings.length} findings</p>
              <table>
                <thead><tr><th>severity</th><th>kind</th><th>host</th><th>flow</th><th>witness</th><th>rule</th><th>message</th></tr></thead>
                <tbody>
                  {f.findings.map((x, i) => (
                    <tr key={i} className={`sev-${x.severity}`}>
                      <td>{x.severity}</td>
                      <td>{x.kind}</td>
                      <td>{x.host}</td>
                      <td>{x.flow ? <a href={flowHref(x.flow.id)}>{x.flow.id}</a> : <span className="muted">–</span>}</td>
                      <td><code>{x.witness.source} → {x.witness.destination} {x.witness.protocol}{x.witness.port !== null ? `/${x.witness.port}` : ''}</code></td>
                      <td>{x.rule ? <><span className="muted">{x.rule.export}:{x.rule.line}</span> <code>{x.rule.text}</code></> : <span className="muted">no rule</span>}</td>
                      <td>{x.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </Guard>
    </section>
  );
}

export function CatalogPage() {
  const loaded = useData<Catalog>('/api/catalog', false);
  return (
    <Guard loaded={loaded}>
      {(c) => (
        <section>
          <h1>Catalog {c.revision}</h1>
          <p className="muted">{c.title}: <a href={c.source} rel="noreferrer noopener" target="_blank">{c.source}</a>. The doc's own cells, verbatim, beside the reading scomfw plans from.</p>
          <CatalogRows rows={c.rows} />
        </section>
      )}
    </Guard>
  );
}

export function DownloadsPage() {
  const loaded = useData<{ name: string; summary: string }[]>('/api/targets', false);
  return (
    <section>
      <h1>Downloads</h1>
      <p className="muted">Every render target, rendered now from the plan this server shows.</p>
      <Guard loaded={loaded}>
        {(targets) => (
          <table>
            <thead><tr><th>target</th><th>what</th><th>download</th></tr></thead>
            <tbody>
              {targets.map((t) => (
                <tr key={t.name}>
                  <td>{t.name}</td>
                  <td>{t.summary}</td>
                  <td>
                    <a href={`/api/render/${t.name}`} download>zip</a> · <Files target={t.name} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Guard>
    </section>
  );
}

function Files({ target }: { target: string }) {
  const [files, setFiles] = useState<{ path: string; bytes: number }[] | string | undefined>();
  if (files === undefined) return <button type="button" className="link" onClick={() => void getJson<{ path: string; bytes: number }[]>(`/api/render/${target}?list`).then(setFiles, (e: unknown) => { setFiles((e as Error).message); })}>files…</button>;
  if (typeof files === 'string') return <span className="error">{files}</span>;
  return (
    <ul className="files">
      {files.map((f) => (
        <li key={f.path}><a href={`/api/render/${target}?file=${encodeURIComponent(f.path)}`} download>{f.path}</a> <span className="muted">{f.bytes} B</span></li>
      ))}
    </ul>
  );
}
