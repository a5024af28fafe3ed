import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The lab's web server: it sends the lab's one document and nothing else. No file on disk is
// served, so no path (such as /../package.json) can reach one: anything but the page is a 404.

export interface LabServer {
  /** The address to open, e.g. http://127.0.0.1:8321/ */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const PAGE_PATHS = new Set(['/', '/index.html']);

/** Listens on host:port (port 0: any free port) and serves the page; rejects when the port is taken. */
export function serveLab(html: string, host: string, port: number): Promise<LabServer> {
  const body = Buffer.from(html, 'utf8');
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    if (!PAGE_PATHS.has(path)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  // A browser keeps connections open; closing the lab should not wait for them.
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const shownHost = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        url: `http://${shownHost}:${a.port}/`,
        port: a.port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
