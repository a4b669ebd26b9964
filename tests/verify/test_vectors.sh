#!/usr/bin/env bash
# The path-validation vectors (tests/vectors/verify/cases.txt, made by
# tests/vectors/verify/gen.sh): each case runs `ucpki --json verify`, whose
# verdict and rule ids are compared with the table, then the same case as
# text output (exit status 0 accept, 1 reject), then `openssl verify
# -x509_strict` on the same files. openssl's verdict is only reported: the
# test prints every case where it differs from the table and fails only on
# ucpki's mismatches.
. "$UCPKI_SRC/tests/lib.sh"

V=$UCPKI_SRC/tests/vectors/verify
CASES=$V/cases.txt
MIN_CASES=170
command -v jq >/dev/null || fail "jq is required"
command -v openssl >/dev/null || fail "openssl is required"
[ -s "$CASES" ] || fail "$CASES is missing"

cases=0 accepts=0 rejects=0
u_bad=() u_wrong_accept=0 u_wrong_reject=0
o_rows=() o_not_run=() o_wrong_accept=0 o_wrong_reject=0 o_run=0
declare -A seen=()

while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	f=${line// | /$'\x1f'}
	IFS=$'\x1f' read -r id opts want rule oopts why <<<"$f"
	[ -n "$why" ] || fail "malformed line (want 6 fields): $line"
	[ -z "${seen[$id]:-}" ] || fail "duplicate case id $id"
	seen[$id]=1
	case $want in accept | reject) ;; *) fail "$id: expected verdict '$want'" ;; esac
	[ "$want" = accept ] && [ "$rule" != - ] && fail "$id: an accepting case names rule $rule"
	[ "$want" = reject ] && [ "$rule" = - ] && fail "$id: a rejecting case names no rule"
	d=$V/cases/$id
	[ -s "$d/leaf.pem" ] && [ -s "$d/trust.pem" ] || fail "$id: $d lacks leaf.pem or trust.pem"
	cases=$((cases + 1))
	[ "$want" = accept ] && accepts=$((accepts + 1)) || rejects=$((rejects + 1))

	args=(verify "$d/leaf.pem" --trust "$d/trust.pem")
	[ -f "$d/chain.pem" ] && args+=(--chain "$d/chain.pem")
	[ -f "$d/crl.pem" ] && args+=(--crl "$d/crl.pem")
	read -ra o <<<"$opts"
	args+=("${o[@]}")

	# ucpki, JSON output
	"$UCPKI" --json "${args[@]}" >"$T/out" 2>"$T/err"
	st=$?
	problem=
	if ! jq -e 'type == "object"' "$T/out" >/dev/null 2>&1; then
		problem="no JSON object on stdout (exit $st): $(head -c 200 "$T/err" | tr '\n' ' ')"
	else
		acc=$(jq -r '.accepted' "$T/out")
		if [ "$want" = accept ]; then
			if [ "$acc" != true ]; then
				problem="rejected ($(jq -r '.rule // "no rule"' "$T/out"): $(jq -r '.reason // ""' "$T/out"))"
				u_wrong_reject=$((u_wrong_reject + 1))
			elif [ "$(jq -r '.rule // "null"' "$T/out")" != null ]; then
				problem="accepted but .rule is $(jq -r '.rule' "$T/out")"
			fi
		else
			if [ "$acc" != false ]; then
				problem="accepted, expected $rule"
				u_wrong_accept=$((u_wrong_accept + 1))
			elif ! jq -e --arg r "$rule" '.rule == $r or ([.findings[]?.rule] | index($r) != null)' \
				"$T/out" >/dev/null; then
				problem="rejected with $(jq -r '.rule // "no rule"' "$T/out") [$(jq -r '[.findings[]?.rule] | join(",")' "$T/out")], expected $rule"
			else
				reason=$(jq -r '.reason // ""' "$T/out")
				if [ -z "$reason" ] || [ "$(printf '%s' "$reason" | wc -l)" != 0 ]; then
					problem="reason is empty or spans lines: $reason"
				elif ! jq -e '([.findings[]? | select(has("rule") and has("check") and has("position") and has("message"))] | length) == ([.findings[]?] | length)' "$T/out" >/dev/null; then
					problem="a finding lacks rule, check, position or message"
				fi
			fi
		fi
	fi
	# ucpki, text output: the exit status is the verdict
	"$UCPKI" "${args[@]}" >"$T/tout" 2>"$T/terr"
	tst=$?
	wst=0
	[ "$want" = reject ] && wst=1
	if [ -z "$problem" ] && [ "$tst" != "$wst" ]; then
		problem="text output exited $tst, expected $wst"
	fi
	if [ -n "$problem" ]; then
		u_bad+=("$id: $problem")
		echo "not ok - $id: $problem"
	else
		ok "$id: $want${rule:+ $rule}"
	fi

	# openssl, the same files
	if [ "$oopts" = - ]; then
		o_not_run+=("$id")
		continue
	fi
	at=
	oa=(-x509_strict -partial_chain -auth_level 2 -CAfile "$d/trust.pem")
	[ -f "$d/chain.pem" ] && oa+=(-untrusted "$d/chain.pem")
	[ -f "$d/crl.pem" ] && oa+=(-CRLfile "$d/crl.pem" -crl_check)
	set -- "${o[@]}"
	while [ $# -gt 0 ]; do
		case $1 in
		--host) oa+=(-verify_hostname "$2"); shift ;;
		--ip) oa+=(-verify_ip "$2"); shift ;;
		--purpose) [ "$2" = server ] && oa+=(-purpose sslserver) || oa+=(-purpose sslclient); shift ;;
		--max-depth) oa+=(-verify_depth "$2"); shift ;;
		--at) at=$2; shift ;;
		--level) shift ;;
		*) fail "$id: no openssl equivalent for $1 (mark the case's openssl options '-')" ;;
		esac
		shift
	done
	[ -n "$at" ] || fail "$id: no --at"
	epoch=$(date -u -d "$at" +%s) || fail "$id: bad time $at"
	oa+=(-attime "$epoch")
	if [ "$oopts" != std ]; then
		read -ra x <<<"$oopts"
		oa+=("${x[@]}")
	fi
	openssl verify "${oa[@]}" "$d/leaf.pem" >"$T/oout" 2>&1
	ost=$?
	o_run=$((o_run + 1))
	if [ $ost = 0 ] && grep -q ': OK$' "$T/oout"; then overd=accept; else overd=reject; fi
	if [ "$overd" != "$want" ]; then
		if [ "$overd" = accept ]; then
			oerr=OK
		else
			oerr=$(grep -m1 -E 'error [0-9]+ at' "$T/oout" || head -n1 "$T/oout")
		fi
		o_rows+=("$(printf '%-36s %-7s %-7s %s' "$id" "$want" "$overd" "$oerr")")
		[ "$want" = reject ] && o_wrong_accept=$((o_wrong_accept + 1)) || o_wrong_reject=$((o_wrong_reject + 1))
	fi
done <"$CASES"

echo "#"
echo "# openssl verify -x509_strict disagrees with the table on ${#o_rows[@]} of $o_run cases:"
printf '# %-36s %-7s %-7s %s\n' case expected openssl "openssl's error"
for r in "${o_rows[@]}"; do echo "# $r"; done
echo "# openssl not run (it cannot express the case) for ${#o_not_run[@]}: ${o_not_run[*]}"
echo "# invalid chains wrongly accepted: openssl $o_wrong_accept (of $o_run run), ucpki $u_wrong_accept (of $cases)"
echo "# valid chains wrongly rejected:   openssl $o_wrong_reject, ucpki $u_wrong_reject"
echo "# $cases cases: $accepts accept, $rejects reject"
for d in "$V"/cases/*/; do
	id=$(basename "$d")
	[ -n "${seen[$id]:-}" ] || fail "cases/$id is not listed in cases.txt (rerun gen.sh)"
done
[ $cases -ge $MIN_CASES ] || fail "only $cases cases, expected at least $MIN_CASES"
if [ ${#u_bad[@]} -gt 0 ]; then
	echo "# ucpki is wrong on ${#u_bad[@]} cases:"
	for r in "${u_bad[@]}"; do echo "#   $r"; done
	fail "ucpki disagrees with the vectors on ${#u_bad[@]} of $cases cases"
fi
done_testing
