// The baseline for `npm run bench`: the same bytes Candor serves, as plain files from a plain
// static server (sirv, as used by Vite's preview), in its own process like Candor's.
import http from 'node:http';
import sirv from 'sirv';

const [dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error('usage: static-server.ts <dir> <port>');
const serve = sirv(dir, { etag: true, dev: false });
http
  .createServer((req, res) => serve(req, res, () => { res.statusCode = 404; res.end(); }))
  .listen(Number(port), '127.0.0.1', () => console.log('ready'));
