#!/usr/bin/env bash
# Plays one incoming call into Klinika through the generic PBX webhook, signed like a real PBX:
#   KLINIKA_URL=http://localhost:8080 KLINIKA_PBX_SECRET=secret scripts/pbx-call.sh CALLER LINE [answered|missed|ringing]
# The call rings now; "answered" is picked up after 5 s and ends after 20 s, "missed" ends unanswered after 10 s.
set -euo pipefail
caller="${1:?caller number, e.g. +79161234567}"
line="${2:?the clinic line called, e.g. +74951234567}"
ending="${3:-missed}"
url="${KLINIKA_URL:-http://localhost:8080}/api/hooks/pbx/generic"
secret="${KLINIKA_PBX_SECRET:?the value of klinika.telephony.generic-secret}"
call="cli-$(date +%s)-$RANDOM"

send() {
  local type="$1" body
  body=$(printf '{"event_id":"%s:%s","call_id":"%s","type":"%s","at":"%s","caller":"%s","called":"%s","employee":"101"}' \
    "$call" "$type" "$call" "$type" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$caller" "$line")
  local signature
  signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.* //')
  curl -fsS -X POST "$url" -H 'Content-Type: application/json' -H "X-Klinika-Signature: sha256=$signature" \
    --data-binary "$body"
  echo " <- $type"
}

send started
case "$ending" in
  answered) sleep 5; send answered; sleep 15; send ended ;;
  missed) sleep 10; send ended ;;
  ringing) ;;
  *) echo "ending must be answered, missed or ringing" >&2; exit 2 ;;
esac
