"""The site as it is deployed: HTTPS with PRODUCTION=1, gunicorn behind a real nginx that
terminates TLS, on loopback only.

    certificate = self_signed_certificate(tmp_path)
    with Server(tmp_path / "app", env=production_env(port)) as app, \\
            Nginx(tmp_path / "nginx", certificate, upstream_port=app.port, port=port) as nginx:
        ...  # nginx.base_url is https://localhost:PORT

It needs the `openssl` and `nginx` programs (Debian: apt-get install openssl nginx).
"""

import os
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tools.server import BASE_DIR, Service, answers_http, free_port

# nginx connects to gunicorn from this loopback address, so that the app sees the proxy
# at an address of its own and the client (127.0.0.1) only through X-Forwarded-For.
PROXY_ADDRESS = "127.0.0.2"
README_NGINX = re.compile(r"```nginx\n(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path


def self_signed_certificate(directory):
    """A key and a certificate for `localhost`, valid for two days."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    certificate = Certificate(cert=directory / "cert.pem", key=directory / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-days",
            "2",
            "-keyout",
            certificate.key,
            "-out",
            certificate.cert,
        ],
        check=True,
        capture_output=True,
    )
    return certificate


def production_env(port):
    """The settings of a public site reached at https://localhost:PORT through nginx."""
    return {
        "PRODUCTION": "1",
        "BEHIND_PROXY": "1",
        "ALLOWED_HOSTS": "localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://localhost:{port}",
    }


def readme_nginx_lines():
    """The proxy lines the README tells site owners to use, as the README has them."""
    match = README_NGINX.search((BASE_DIR / "README.md").read_text())
    if match is None:
        raise AssertionError("README.md has no ```nginx block")
    return match.group(1).strip()


class Nginx(Service):
    """nginx terminating TLS on 127.0.0.1:`port` in front of plain-http gunicorn on
    127.0.0.1:`upstream_port`, with the README's proxy lines.

    It runs in the foreground as a child of the tests, with its configuration, pid file,
    logs and temporary files all in `directory`.
    """

    name = "nginx"

    def __init__(self, directory, certificate, *, upstream_port, port=None, start_timeout=30):
        self.directory = Path(directory).resolve()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.certificate = certificate
        self.upstream_port = upstream_port
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.config_path = self.directory / "nginx.conf"
        self.error_log_path = self.directory / "error.log"
        self.access_log_path = self.directory / "access.log"

    @property
    def base_url(self):
        return f"https://localhost:{self.port}"

    def config(self):
        temp = self.directory / "temp"
        # The master runs as whoever runs the tests; as root, its workers would otherwise
        # become `nobody`, who may not enter the temporary folders of pytest.
        user = "user root;" if os.geteuid() == 0 else ""
        return f"""
{user}
daemon off;
worker_processes 1;
pid {self.directory / "nginx.pid"};
error_log {self.error_log_path} info;
events {{
    # Each proxied request holds two connections, and Chromium keeps several open per
    # context: with 64, a burst of static files could be closed on and fail to load.
    worker_connections 1024;
}}
http {{
    access_log {self.access_log_path};
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    server {{
        listen 127.0.0.1:{self.port} ssl;
        server_name localhost;
        ssl_certificate {self.certificate.cert};
        ssl_certificate_key {self.certificate.key};
        location / {{
            proxy_pass http://127.0.0.1:{self.upstream_port};
            proxy_bind {PROXY_ADDRESS};
            # From the README:
{textwrap.indent(readme_nginx_lines(), " " * 12)}
        }}
    }}
}}
"""

    def error_log(self):
        return (
            self.error_log_path.read_text(errors="replace") if self.error_log_path.exists() else ""
        )

    def log(self):
        stderr = (self.directory / "stderr.log").read_text(errors="replace")
        return stderr + self.error_log()

    def ready(self):
        # nginx passes the Host on to the app, whose production settings allow localhost.
        return answers_http(self.port, "localhost", tls=True)

    def start(self):
        (self.directory / "temp").mkdir(exist_ok=True)
        self.config_path.write_text(self.config())
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        # -e: the log for the start-up itself, before the configuration names its own.
        command = [nginx, "-p", str(self.directory), "-c", str(self.config_path)]
        command += ["-e", str(self.error_log_path)]
        return self.launch(command, self.directory / "stderr.log")
