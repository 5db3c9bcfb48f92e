// The baseline of `npm run bench`: nginx (Debian's nginx-light) serving the very bytes Candor
// serves, from files, one worker process, as a static site is usually served. Found on PATH or in
// /usr/sbin; installed with apt-get when missing and the bench runs as root; otherwise the bench
// says so and falls back to sirv.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function findNginx(install: boolean): { binary: string | null; note: string } {
  const look = () => {
    const found = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx'], { encoding: 'utf8' });
    return found.status === 0 ? found.stdout.trim().split('\n')[0]! : null;
  };
  const binary = look();
  if (binary) return { binary, note: `nginx found at ${binary}` };
  if (!install) return { binary: null, note: 'nginx not found' };
  if (process.getuid?.() !== 0) return { binary: null, note: 'nginx not found, and installing it (apt-get install nginx-light) needs root' };
  const installed = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'nginx-light'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const after = look();
  return after ? { binary: after, note: `nginx-light installed with apt-get (${after})` } : { binary: null, note: `nginx not found, and apt-get install nginx-light failed:\n${installed.stderr.slice(-500)}` };
}

/** A config for one worker serving `root` on loopback: no logs, no compression, keep-alive as Node's. */
export function nginxConfig(root: string, port: number, work: string): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${path.join(work, 'nginx.pid')};
error_log ${path.join(work, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${work}/client_body;
  proxy_temp_path ${work}/proxy;
  fastcgi_temp_path ${work}/fastcgi;
  uwsgi_temp_path ${work}/uwsgi;
  scgi_temp_path ${work}/scgi;
  types { text/html html; application/json json; application/rss+xml rss; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=100;
  keepalive_requests 1000000;
  keepalive_timeout 75s;
  gzip off;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    etag on;
  }
}
`;
}

export function startNginx(binary: string, root: string, port: number, work: string): ChildProcess {
  const dir = path.join(work, 'nginx');
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, nginxConfig(root, port, dir));
  return spawn(binary, ['-c', conf, '-p', dir, '-e', path.join(dir, 'nginx-error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
}
