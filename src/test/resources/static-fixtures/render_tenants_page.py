#!/usr/bin/env python3
"""Renders static/tenants.html against status-sample.json in headless Chromium and checks what it shows.

Run from the repository root: python3 src/test/resources/static-fixtures/render_tenants_page.py [screenshot.png]
Needs /usr/bin/chromium (Debian: apt-get install chromium). Serves the page over HTTP on 127.0.0.1 (fetch()
cannot read file:// URLs), with the fixture at /api/status and a 401 at /unauthorized.
"""
import functools, http.server, pathlib, subprocess, sys, tempfile, threading

ROOT = pathlib.Path(__file__).resolve().parents[4]
STATIC = ROOT / 'src/main/resources/static'
FIXTURE = pathlib.Path(__file__).with_name('status-sample.json')


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path == '/unauthorized':
            self.send_error(401, 'Unauthorized')
        elif self.path == '/api/status':
            body = FIXTURE.read_bytes()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, *args):
        pass


def chromium(*args):
    """Chromium's output; '' when it hangs, as it does on an alert() from tenant data run as HTML."""
    with tempfile.TemporaryDirectory() as profile:
        try:
            return subprocess.run(['/usr/bin/chromium', '--headless', '--no-sandbox', '--disable-gpu',
                                   '--disable-background-networking', '--disable-component-update', '--disable-sync',
                                   '--no-first-run', '--user-data-dir=' + profile, '--virtual-time-budget=3000', *args],
                                  capture_output=True, text=True, timeout=30).stdout
        except subprocess.TimeoutExpired:
            return ''


def main():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Handler, directory=str(STATIC)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f'http://127.0.0.1:{server.server_port}'
    dom = chromium('--dump-dom', base + '/tenants.html')
    expired = chromium('--dump-dom', base + '/tenants.html?status=unauthorized')
    foreign = chromium('--dump-dom', base + f'/tenants.html?status=http://localhost:{server.server_port}/unauthorized')
    checks = {
        'page rendered (no dialog)': '</html>' in dom and '</html>' in expired and '</html>' in foreign,
        'four tenant cards': dom.count('data-tenant=') == 4,
        'healthy badge': 'tenant-status" data-status="healthy">Healthy<' in dom,
        'failing badge': '>Failing<' in dom and '>Needs attention<' in dom and '>Paused<' in dom,
        'invalid_client advice': 'check client-id and the client secret or certificate</span>' in dom,
        'error code shown': 'component-error-code">invalid_client<' in dom,
        'backfill bar': '<progress max="100" value="42.5"' in dom and '42.5 % · 3/7 windows' in dom,
        'relative time with ISO title': 'title="2026-11-25T14:26:10Z">3 min ago<' in dom,
        'settled watermark': 'title="2026-11-22T14:00:00Z">3 d ago<' in dom,
        'two sinks': 'data-sink="archive"' in dom and 'data-sink="siem"' in dom,
        'gaps listed': '2 gaps: data that can no longer be collected' in dom and dom.count('<li class="gap">') == 2,
        'tenant strings stay text': '&lt;img src=x onerror=alert(1)&gt;' in dom and '<img' not in dom,
        'updated time': 'id="updated" class="updated" aria-live="polite">updated ' in dom,
        '401 banner links to login': 'status unavailable: HTTP 401 — <a href="login">log in again</a>' in expired,
        '?status= of another origin ignored': foreign.count('data-tenant=') == 4,
    }
    if len(sys.argv) > 1:
        chromium('--window-size=1280,1600', '--screenshot=' + str(pathlib.Path(sys.argv[1]).resolve()),
                 base + '/tenants.html')
    server.shutdown()
    for name, ok in checks.items():
        print(('ok   ' if ok else 'FAIL ') + name)
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == '__main__':
    main()
