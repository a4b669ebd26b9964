#!/usr/bin/env bash
# The verification matrix (tests/vectors/verify/matrix.txt): each case runs
# `ucpki --json verify`, whose verdict, failed check and reason are parsed and
# compared with the table, then `openssl verify` on the same files, whose
# verdict must agree (or differ exactly where the table says it does).
. "$UCPKI_SRC/tests/lib.sh"
. "$UCPKI_SRC/tests/verify/pki.sh"

mk_pki
MATRIX=$UCPKI_SRC/tests/vectors/verify/matrix.txt
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

cases=0 agreed=0 differs=0
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	IFS='|' read -r name cert chain trust opts want check detail oargs overdict <<<"$line"
	name=$(trim "$name") cert=$(trim "$cert") chain=$(trim "$chain") trust=$(trim "$trust")
	opts=$(trim "$opts") want=$(trim "$want") check=$(trim "$check") detail=$(trim "$detail")
	oargs=$(trim "$oargs") overdict=$(trim "$overdict")
	cases=$((cases + 1))

	args=(--json verify "v/$cert" --trust "v/$trust")
	[ "$chain" != - ] && args+=(--chain "v/$chain")
	# options may hold v/ file names (CRLs)
	for o in $opts; do
		case $o in *.pem) args+=("v/$o") ;; *) args+=("$o") ;; esac
	done
	status=0
	[ "$want" = reject ] && status=1
	u "$status" "${args[@]}"
	got=$(jq -r '.accepted' "$T/out")
	[ "$got" = "$([ "$want" = accept ] && echo true || echo false)" ] ||
		fail "$name: accepted=$got, expected $want"
	if [ "$want" = reject ]; then
		reason=$(jq -r '.reason' "$T/out")
		failed=$(jq -r '[.checks[] | select(.verdict == "fail") | .check] | first' "$T/out")
		rule=${reason%%:*}
		[ "${rule%%.*}" = "$check" ] || fail "$name: reason '$reason' is not about $check"
		[ "$(jq -r .rule "$T/out")" = "$rule" ] || fail "$name: .rule is not the reason's rule $rule"
		[ "$failed" = "$check" ] || fail "$name: first failed check is $failed, expected $check"
		case $reason in *"$detail"*) ;; *) fail "$name: reason '$reason' lacks '$detail'" ;; esac
		# one line, naming a certificate by position and subject where there is one
		[ "$(printf '%s' "$reason" | wc -l)" = 0 ] || fail "$name: reason spans lines"
	else
		[ "$(jq -r '[.checks[] | select(.verdict == "fail")] | length' "$T/out")" = 0 ] ||
			fail "$name: accepted with a failed check"
	fi

	if [ "$oargs" != - ]; then
		oa=(-partial_chain -CAfile "v/$trust")
		[ "$chain" != - ] && oa+=(-untrusted "v/$chain")
		for o in $oargs; do
			case $o in *.pem) oa+=("v/$o") ;; *) oa+=("$o") ;; esac
		done
		openssl verify "${oa[@]}" "v/$cert" >"$T/oout" 2>&1
		ostatus=$?
		if grep -q "^v/$cert: OK$" "$T/oout" && [ $ostatus = 0 ]; then overd=accept; else overd=reject; fi
		expect=$want
		[ "$overdict" != same ] && expect=$overdict
		[ "$overd" = "$expect" ] || { cat "$T/oout"; fail "$name: openssl says $overd, table expects $expect"; }
		if [ "$overdict" = same ]; then agreed=$((agreed + 1)); else differs=$((differs + 1)); fi
	fi
	ok "$name: $want${check:+ ($check)}"
done <"$MATRIX"

[ $cases -ge 40 ] || fail "only $cases cases in the matrix"
echo "# $cases cases; openssl agreed on $agreed, differed as documented on $differs"
done_testing
