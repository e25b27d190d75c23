#!/usr/bin/env bash
# Boot production mode exactly as README.md's "production-procedure" block says, then check it in Chromium.
#
#   scripts/ci_production.sh DATABASE_URL PORT
#
# The block's commands run unchanged, except the serving address 127.0.0.1:8000 which becomes 127.0.0.1:PORT.
# The configuration is what the README asks an operator to choose (DJANGO_ENV=production, SECRET_KEY,
# ALLOWED_HOSTS, SITE_URL, DATABASE_URL, folders, ADMIN_PASSWORD), pointed at a temporary folder; plus
# CSRF_TRUSTED_ORIGINS for the plain-HTTP address the browser uses here (nginx is not in front). Then the demo
# data is loaded into that database, every area's main page is fetched in Chromium as nginx would pass it
# (X-Forwarded-Proto: https): status 200, stylesheet applied, no console error, security headers
# (scripts/production_check.py), and plain HTTP is checked to be redirected to HTTPS. The server (its whole
# process group) is stopped on exit, whatever happens. Fails if any step does.
set -euo pipefail
cd "$(dirname "$0")/.."
database_url="$1"
port="$2"
root="$(pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kc-production.XXXXXX")"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_server EXIT

# The README's block, between <!-- production-procedure --> and <!-- /production-procedure -->, minus the fences.
sed -n '/<!-- production-procedure -->/,/<!-- \/production-procedure -->/p' README.md \
  | grep -v -e '^<!--' -e '^```' | sed "s/127\.0\.0\.1:8000/127.0.0.1:${port}/g" > "$work/procedure.sh"
if ! grep -q 'khuyencong serve' "$work/procedure.sh"; then
  echo "!! README.md has no production-procedure block that serves"; exit 1
fi
echo "-- the README's procedure:"; sed 's/^/   /' "$work/procedure.sh"

export DJANGO_ENV=production
SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:${port}"
export DATABASE_URL="$database_url"
export MEDIA_ROOT="$work/media" PRIVATE_MEDIA_ROOT="$work/private" STATIC_ROOT="$work/static"
export PROGRESS_CACHE_DIR="$work/progress"
export ADMIN_PASSWORD="ci-$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:${port}"

setsid bash -euo pipefail "$work/procedure.sh" > "$work/procedure.log" 2>&1 &
server_pid=$!
echo "-- waiting for the site on 127.0.0.1:${port}"
for _ in $(seq 600); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "!! the README's procedure stopped before serving:"; tail -40 "$work/procedure.log"; exit 1
  fi
  code="$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "http://127.0.0.1:${port}/accounts/login/" || true)"
  [ "$code" = "200" ] && break
  sleep 1
done
if [ "${code:-}" != "200" ]; then
  echo "!! the login page answers ${code:-nothing}"; tail -40 "$work/procedure.log"; exit 1
fi
grep -q "Booting worker" "$work/procedure.log" || { echo "!! not gunicorn"; tail -20 "$work/procedure.log"; exit 1; }
echo "-- serving: gunicorn with $(grep -c 'Booting worker' "$work/procedure.log") workers"

echo "-- loading the demo data into the production database"
"$root/.venv/bin/khuyencong" demo --no-serve > "$work/demo.log" 2>&1 || { tail -30 "$work/demo.log"; exit 1; }

echo "-- plain HTTP is redirected to HTTPS"
location="$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:${port}/")"
case "$location" in
  https://127.0.0.1:${port}/*) ;;
  *) echo "!! http:// is not redirected to https:// (Location: ${location:-none})"; exit 1 ;;
esac

echo "-- every area in Chromium"
"$root/.venv/bin/python" scripts/production_check.py "http://127.0.0.1:${port}" --proxy-https \
  --admin-password "$ADMIN_PASSWORD" \
  ${SCREENSHOT_DIR:+--screenshots "$SCREENSHOT_DIR"}

if grep -q '"logger": "django.request"' "$work/procedure.log"; then
  echo "!! a request failed on the server:"; grep '"logger": "django.request"' "$work/procedure.log" | head -5; exit 1
fi
if grep -q "Traceback" "$work/procedure.log"; then  # e.g. the background worker, restarted by serve
  echo "-- note: a traceback outside the requests (restarted by serve):"
  grep -v '^{' "$work/procedure.log" | grep -B2 -A3 -E '^[A-Za-z.]+(Error|Exception):' | head -20
fi
echo "-- production mode as the README documents it: OK"
