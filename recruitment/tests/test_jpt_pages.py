"""The open selection for JPT posts through its pages: set-up, declarations, independent scores, ranking, proposal."""

import json
from decimal import Decimal

import pytest

from accounts.access import build_actor
from core.models import AuditRecord
from recruitment.models import OpenSelection, SelectionCandidate, SelectionMember, StageScore
from recruitment.open_selection import conflicts_declare, score_submit, selection_create
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/seleksi/jpt/"


@pytest.fixture
def sel(world):
    members = [make_user(f"pansel.{i}", totp=False) for i in range(3)]
    s = selection_create(
        actor=build_actor(world["admin_lpg"]),
        agency=world["lpg"]["agency"],
        position_title="Kepala Dinas Kesehatan",
        members=members,
        candidates=["Andi", "Budi", "Citra", "Dewi"],
    )
    s.users = members
    s.m = [build_actor(u) for u in members]
    s.c = {c.name: c for c in s.candidates.all()}
    s.st = list(s.stages.all())
    return s


def declare(s, i, conflicts=()):
    conflicts_declare(
        actor=s.m[i], selection=s, conflicts=[s.c[n] for n in conflicts], note="ipar" if conflicts else ""
    )


def score_everything(s, table, skip=()):
    """table: candidate -> base score; member i gives base + i at every stage."""
    for i, actor in enumerate(s.m):
        for name, value in table.items():
            if (i, name) in skip:
                continue
            for st in s.st:
                score_submit(actor=actor, stage=st, candidate=s.c[name], score=Decimal(value) + i)


def html(resp) -> str:
    return resp.content.decode()


def scores_of(s, i, stage):
    return {
        n: v
        for n, v in StageScore.objects.filter(member__user=s.users[i], stage=stage).values_list(
            "candidate__name", "score"
        )
    }


class TestList:
    def test_each_person_sees_the_selections_in_their_scope(self, client, login, world, sel):
        login(world["admin_lpg"])
        assert "Kepala Dinas Kesehatan" in html(client.get(URL))
        login(world["national"])
        assert "Kepala Dinas Kesehatan" in html(client.get(URL))
        client.force_login(world["committee_lpg"])  # the agency's selection committee oversees
        assert "Kepala Dinas Kesehatan" in html(client.get(URL))
        login(world["admin_gtlo"])
        assert "Kepala Dinas Kesehatan" not in html(client.get(URL))
        client.force_login(world["employee_lpg"])  # an employee of the agency, not on the committee
        assert "Kepala Dinas Kesehatan" not in html(client.get(URL))
        client.force_login(sel.users[0])  # a member from outside the agency sees the one they sit on
        page = html(client.get(URL))
        assert "Kepala Dinas Kesehatan" in page and f"{URL}{sel.pk}/meja/" in page

    def test_anonymous_is_sent_to_log_in(self, client, sel):
        assert client.get(URL).status_code == 302

    def test_the_list_runs_a_fixed_number_of_queries(self, client, login, world, django_assert_max_num_queries):
        admin = build_actor(world["admin_lpg"])
        members = [make_user(f"q.{i}", totp=False) for i in range(3)]
        for n in range(8):
            selection_create(
                actor=admin,
                agency=world["lpg"]["agency"],
                position_title=f"Jabatan {n}",
                members=members,
                candidates=["A", "B", "C"],
            )
        login(world["admin_lpg"])
        client.get(URL)
        with django_assert_max_num_queries(8):
            page = html(client.get(URL))
        assert page.count("Jabatan ") == 8


class TestCreate:
    def form(self, world, **changes):
        data = {
            "position_title": "Sekretaris Daerah",
            "weight_0": 10,
            "weight_1": 30,
            "weight_2": 15,
            "weight_3": 30,
            "weight_4": 15,
            "members": [world["supervisor_lpg"].pk, world["employee_lpg"].pk, world["committee_lpg"].pk],
            "candidates": f"Andi Wijaya\n{world['lpg']['e_head'].nip}\nCitra Lestari\n",
        }
        data.update(changes)
        return data

    def test_an_agency_admin_sets_up_a_selection_with_five_weighted_stages(self, client, login, world):
        login(world["admin_lpg"])
        page = html(client.get(URL + "baru/"))
        assert "Penulisan makalah" in page and world["supervisor_lpg"].username in page
        assert world["admin_gtlo"].username not in page  # only people tied to the agency are offered
        resp = client.post(URL + "baru/", self.form(world))
        sel = OpenSelection.objects.get()
        assert resp.status_code == 302 and resp["Location"] == f"{URL}{sel.pk}/"
        assert [(s.name, s.weight) for s in sel.stages.all()][1] == ("Penilaian kompetensi (assessment center)", 30)
        assert sum(s.weight for s in sel.stages.all()) == 100
        linked = sel.candidates.get(employee__isnull=False)
        assert linked.employee == world["lpg"]["e_head"] and linked.name == "Kepala Lampung"
        assert sel.members.count() == 3
        assert AuditRecord.objects.filter(action="open_selection.create", object_id=str(sel.pk)).exists()

    def test_weights_not_summing_to_100_are_refused(self, client, login, world):
        login(world["admin_lpg"])
        resp = client.post(URL + "baru/", self.form(world, weight_4=20))
        assert resp.status_code == 200 and "Bobot tahapan harus berjumlah 100%." in html(resp)
        assert not OpenSelection.objects.exists()

    def test_other_refusals_are_shown_on_the_form(self, client, login, world):
        login(world["admin_lpg"])
        resp = client.post(URL + "baru/", self.form(world, members=[world["supervisor_lpg"].pk]))
        assert "Panitia seleksi sedikitnya tiga orang." in html(resp)
        resp = client.post(URL + "baru/", self.form(world, candidates=f"Andi\n{world['gtlo']['e_head'].nip}\nCitra"))
        assert "bukan pegawai aktif instansi ini" in html(resp)  # an employee of another agency
        resp = client.post(URL + "baru/", self.form(world, candidates="Andi\nBudi"))
        assert "sedikitnya tiga peserta" in html(resp)
        resp = client.post(URL + "baru/", self.form(world, candidates=f"Andi\nBudi\n{world['lpg']['e_kabid'].nip}"))
        assert "tidak dapat menjadi anggota panitia" in html(resp)  # the supervisor is a member and a candidate
        resp = client.post(
            URL + "baru/",
            self.form(world, members=[world["admin_gtlo"].pk, world["employee_lpg"].pk, world["committee_lpg"].pk]),
        )
        assert resp.status_code == 200 and "members" in resp.context["form"].errors  # not offered, not accepted
        assert not OpenSelection.objects.exists()

    def test_only_admins_may_set_up(self, client, login, world):
        for who in ("committee_lpg", "employee_lpg", "auditor_lpg"):
            login(world[who])
            assert client.get(URL + "baru/").status_code == 403, who
            assert client.post(URL + "baru/", self.form(world)).status_code == 403, who
        assert not OpenSelection.objects.exists()

    def test_the_national_admin_chooses_the_agency_first(self, client, login, world):
        login(world["national"])
        page = html(client.get(URL + "baru/"))
        assert 'data-testid="agency-choice"' in page and 'name="position_title"' not in page
        ag = world["gtlo"]["agency"]
        assert 'name="position_title"' in html(client.get(URL + f"baru/?instansi={ag.pk}"))
        data = self.form(
            world,
            agency=ag.pk,
            members=[world["supervisor_gtlo"].pk, world["employee_gtlo"].pk, world["committee_gtlo"].pk],
            candidates="A\nB\nC",
        )
        assert client.post(URL + "baru/", data).status_code == 302
        assert OpenSelection.objects.get().agency == ag


class TestDetail:
    def test_the_admin_adds_candidates_and_members(self, client, login, world, sel):
        login(world["admin_lpg"])
        page = html(client.get(f"{URL}{sel.pk}/"))
        assert "Penelusuran rekam jejak" in page and "Andi" in page and 'data-testid="candidate-add"' in page
        assert client.post(f"{URL}{sel.pk}/", {"action": "candidate", "candidate": "Eko Prasetyo"}).status_code == 302
        nip = world["lpg"]["e_staff"].nip
        assert client.post(f"{URL}{sel.pk}/", {"action": "candidate", "candidate": nip}).status_code == 302
        assert sel.candidates.filter(employee=world["lpg"]["e_staff"], name="Staf Lampung").exists()
        resp = client.post(f"{URL}{sel.pk}/", {"action": "candidate", "candidate": "Eko Prasetyo"})
        assert "sudah menjadi peserta" in html(resp)
        assert (
            client.post(f"{URL}{sel.pk}/", {"action": "member", "user": world["supervisor_lpg"].pk}).status_code == 302
        )
        assert sel.members.filter(user=world["supervisor_lpg"]).exists()
        assert AuditRecord.objects.filter(action="open_selection.candidate_add").count() == 2
        assert AuditRecord.objects.filter(action="open_selection.member_add").count() == 1

    def test_no_candidate_is_added_once_a_member_has_declared(self, client, login, world, sel):
        declare(sel, 0)
        login(world["admin_lpg"])
        assert 'data-testid="candidate-add"' not in html(client.get(f"{URL}{sel.pk}/"))
        resp = client.post(f"{URL}{sel.pk}/", {"action": "candidate", "candidate": "Eko"})
        assert "setelah anggota panitia menyatakan konflik kepentingan" in html(resp)
        assert not sel.candidates.filter(name="Eko").exists()

    def test_others_may_look_but_not_change(self, client, login, world, sel):
        client.force_login(world["committee_lpg"])
        assert client.get(f"{URL}{sel.pk}/").status_code == 200
        assert client.post(f"{URL}{sel.pk}/", {"action": "candidate", "candidate": "Eko"}).status_code == 403
        client.force_login(sel.users[0])
        page = html(client.get(f"{URL}{sel.pk}/"))
        assert 'data-testid="candidate-add"' not in page and f"{URL}{sel.pk}/meja/" in page
        assert client.post(f"{URL}{sel.pk}/", {"action": "member", "user": sel.users[0].pk}).status_code == 403
        login(world["admin_gtlo"])
        assert client.get(f"{URL}{sel.pk}/").status_code == 404
        assert client.post(f"{URL}{sel.pk}/", {"action": "candidate", "candidate": "Eko"}).status_code == 404
        assert not sel.candidates.filter(name="Eko").exists()

    def test_conflicts_are_shown_to_overseers_not_to_members(self, client, login, world, sel):
        declare(sel, 1, ["Citra"])
        login(world["admin_lpg"])
        assert "Konflik dengan: Citra" in html(client.get(f"{URL}{sel.pk}/"))
        client.force_login(sel.users[0])
        assert "Konflik dengan: Citra" not in html(client.get(f"{URL}{sel.pk}/"))


class TestDeclaration:
    def test_the_desk_opens_with_the_declaration_and_no_score_goes_in_before_it(self, client, sel):
        client.force_login(sel.users[0])
        page = html(client.get(f"{URL}{sel.pk}/meja/"))
        assert 'data-testid="declaration"' in page and 'data-testid="score-submit"' not in page
        assert ">Citra</label>" in page.replace("> ", ">")  # candidates are offered by name
        resp = client.post(f"{URL}{sel.pk}/tahap/{sel.st[0].pk}/nilai/", {f"c{sel.c['Andi'].pk}": "80"}, follow=True)
        assert "Nyatakan konflik kepentingan sebelum menilai." in html(resp)
        assert not StageScore.objects.exists()

    def test_the_statement_must_say_none_or_name_someone_with_a_note(self, client, sel):
        client.force_login(sel.users[0])
        url = f"{URL}{sel.pk}/meja/"
        assert "Nyatakan bahwa Anda tidak memiliki" in html(client.post(url, {}))
        both = {"none": "on", "conflicts": [sel.c["Andi"].pk]}
        assert "Pilih salah satu" in html(client.post(url, both))
        no_note = {"conflicts": [sel.c["Andi"].pk]}
        assert "Jelaskan hubungan Anda" in html(client.post(url, no_note))
        assert SelectionMember.objects.get(user=sel.users[0]).declared_at is None
        resp = client.post(url, {"conflicts": [sel.c["Andi"].pk], "note": "Adik ipar"})
        assert resp.status_code == 302
        m = SelectionMember.objects.get(user=sel.users[0])
        assert m.declared_at and list(m.conflicts.all()) == [sel.c["Andi"]] and m.conflict_note == "Adik ipar"
        rec = AuditRecord.objects.get(action="open_selection.conflicts")
        assert rec.after["conflicts"] == [sel.c["Andi"].pk]
        page = html(client.get(url))
        assert 'data-testid="declaration"' not in page and "konflik kepentingan</span>" in page
        again = client.post(url, {"none": "on"}, follow=True)
        assert (
            "sudah dibuat" in html(again) and AuditRecord.objects.filter(action="open_selection.conflicts").count() == 1
        )

    def test_no_score_for_a_conflicted_candidate(self, client, sel):
        declare(sel, 0, ["Andi"])
        client.force_login(sel.users[0])
        page = html(client.get(f"{URL}{sel.pk}/meja/"))
        assert f'name="c{sel.c["Andi"].pk}"' not in page and f'name="c{sel.c["Budi"].pk}"' in page
        resp = client.post(
            f"{URL}{sel.pk}/tahap/{sel.st[0].pk}/nilai/", {f"c{sel.c['Andi'].pk}": "80", f"c{sel.c['Budi'].pk}": "70"}
        )
        assert resp.status_code == 400 and "tidak menilainya" in html(resp)
        assert not StageScore.objects.exists()  # all or none: Budi's score did not go in either


class TestScoring:
    def post(self, client, sel, stage, values):
        return client.post(f"{URL}{sel.pk}/tahap/{stage.pk}/nilai/", {f"c{sel.c[n].pk}": v for n, v in values.items()})

    def test_scores_go_in_once_with_two_decimals_and_stay(self, client, sel):
        declare(sel, 0)
        client.force_login(sel.users[0])
        resp = self.post(client, sel, sel.st[0], {"Andi": "85,5", "Budi": "70.25"})
        assert resp.status_code == 302 and resp["Location"].endswith(f"#tahap-{sel.st[0].pk}")
        assert scores_of(sel, 0, sel.st[0]) == {"Andi": Decimal("85.50"), "Budi": Decimal("70.25")}
        assert AuditRecord.objects.filter(action="open_selection.score").count() == 2
        page = html(client.get(f"{URL}{sel.pk}/meja/"))
        assert '<span class="fw-semibold" data-testid="own-score">85,50</span>' in page
        assert f'name="c{sel.c["Andi"].pk}"' not in page.split(f'id="tahap-{sel.st[1].pk}"')[0]  # read-only now
        resp = self.post(client, sel, sel.st[0], {"Andi": "99"})  # a second submission
        assert resp.status_code == 400 and "tidak dapat diubah" in html(resp)
        assert scores_of(sel, 0, sel.st[0])["Andi"] == Decimal("85.50")

    def test_out_of_range_or_too_precise_or_empty_is_refused(self, client, sel):
        declare(sel, 0)
        client.force_login(sel.users[0])
        for value in ("101", "-1", "80.125", "delapan"):
            resp = self.post(client, sel, sel.st[0], {"Andi": value})
            assert resp.status_code == 400 and 'data-testid="field-error"' in html(resp), value
        resp = self.post(client, sel, sel.st[0], {"Andi": ""})
        assert resp.status_code == 400 and "Isi sedikitnya satu nilai." in html(resp)
        assert not StageScore.objects.exists()

    def test_others_scores_stay_hidden_until_the_member_has_sent_the_whole_stage(self, client, sel):
        for i in range(3):
            declare(sel, i)
        client.force_login(sel.users[0])
        self.post(client, sel, sel.st[0], {"Andi": "87.35", "Budi": "66.15", "Citra": "75", "Dewi": "71"})
        client.force_login(sel.users[1])
        desk = f"{URL}{sel.pk}/meja/"
        page = html(client.get(desk))
        assert "87,35" not in page and "66,15" not in page and 'data-testid="hidden-scores"' in page
        self.post(client, sel, sel.st[0], {"Andi": "80"})
        assert "87,35" not in html(client.get(desk))  # one candidate scored is not the stage sent
        self.post(client, sel, sel.st[0], {"Budi": "60", "Citra": "70", "Dewi": "65"})
        page = html(client.get(desk))
        stage0 = page.split(f'id="tahap-{sel.st[0].pk}"')[1].split(f'id="tahap-{sel.st[1].pk}"')[0]
        assert "pansel.0: <strong>87,35</strong>" in stage0 and "pansel.0: <strong>66,15</strong>" in stage0
        assert "pansel.2" not in stage0  # who has not scored shows nothing
        stage1 = page.split(f'id="tahap-{sel.st[1].pk}"')[1]
        assert "<strong>" not in stage1.split("</form>")[0]  # still hidden at the next stage

    def test_only_members_reach_the_desk(self, client, login, world, sel):
        login(world["admin_lpg"])  # sees the selection, is not on the committee
        assert client.get(f"{URL}{sel.pk}/meja/").status_code == 403
        assert self.post(client, sel, sel.st[0], {"Andi": "80"}).status_code == 403
        assert client.post(f"{URL}{sel.pk}/meja/", {"none": "on"}).status_code == 403
        client.force_login(world["employee_gtlo"])  # does not see it at all
        assert client.get(f"{URL}{sel.pk}/meja/").status_code == 404
        assert self.post(client, sel, sel.st[0], {"Andi": "80"}).status_code == 404
        client.force_login(sel.users[0])
        assert client.get(f"{URL}{sel.pk}/tahap/{sel.st[0].pk}/nilai/").status_code == 405
        assert not StageScore.objects.exists()


class TestRankingAndProposal:
    def test_before_every_score_is_in_only_completeness_shows_and_no_proposal(self, client, login, world, sel):
        for i in range(3):
            declare(sel, i, ["Dewi"] if i == 2 else ())
        score_everything(sel, {"Andi": 70, "Budi": 80, "Citra": 90, "Dewi": 85}, skip={(2, "Dewi"), (1, "Andi")})
        login(world["admin_lpg"])
        resp = client.get(f"{URL}{sel.pk}/peringkat/")
        page = html(resp)
        assert 'data-testid="values-hidden"' in page and 'data-testid="ranking"' not in page and "chart-jpt" not in page
        assert 'data-testid="propose"' not in page
        # per stage 3 + 3 + 3 + 2 scores are due (one member has a conflict with Dewi), one member left Andi out
        assert page.count(">10/11<") == 5 and "11/11" not in page and ">70" not in page
        resp = client.post(f"{URL}{sel.pk}/usulkan/", follow=True)
        assert "Belum semua anggota panitia menilai semua tahap." in html(resp)
        sel.refresh_from_db()
        assert sel.proposed_at is None and not AuditRecord.objects.filter(action="open_selection.propose").exists()

    def test_weighted_totals_the_best_three_proposed_and_printed(self, client, login, world, sel):
        for i in range(3):
            declare(sel, i, ["Dewi"] if i == 2 else ())
        score_everything(sel, {"Andi": 70, "Budi": 80, "Citra": 90, "Dewi": 85}, skip={(2, "Dewi")})
        login(world["admin_lpg"])
        assert client.get(f"{URL}{sel.pk}/usulan/").status_code == 404  # nothing proposed yet
        resp = client.get(f"{URL}{sel.pk}/peringkat/")
        page = html(resp)
        board = resp.context["board"]
        assert [r["candidate"].name for r in board.rows] == ["Citra", "Dewi", "Budi", "Andi"]
        assert [str(r["score"]) for r in board.rows] == ["91.000", "85.500", "81.000", "71.000"]
        assert ">91,000<" in page and 'data-testid="propose"' in page
        assert 'data-testid="tie"' not in page
        chart = json.loads(page.split('id="chart-jpt" type="application/json">')[1].split("</script>")[0])
        assert chart["labels"] == ["Citra", "Dewi", "Budi", "Andi"] and len(chart["datasets"]) == 5
        assert round(sum(d["data"][0] for d in chart["datasets"]), 3) == 91.0  # stacked stages add up to the total
        assert chart["datasets"][1]["data"][0] == pytest.approx(0.30 * 91)
        client.force_login(world["committee_lpg"])  # oversees, may not propose
        assert client.post(f"{URL}{sel.pk}/usulkan/").status_code == 403
        login(world["admin_lpg"])
        resp = client.post(f"{URL}{sel.pk}/usulkan/")
        assert resp.status_code == 302 and resp["Location"] == f"{URL}{sel.pk}/usulan/"
        sel.refresh_from_db()
        assert [p["candidate"] for p in sel.proposal] == ["Citra", "Dewi", "Budi"]
        rec = AuditRecord.objects.get(action="open_selection.propose")
        assert [p["candidate"] for p in rec.after["proposal"]] == ["Citra", "Dewi", "Budi"]
        proposal = html(client.get(f"{URL}{sel.pk}/usulan/"))
        top = proposal.split('data-testid="proposed"')[1].split("</table>")[0]
        assert "Citra" in top and "Budi" in top and "Andi" not in top and "Gubernur Lampung" in proposal
        assert "window.print()" in proposal
        again = client.post(f"{URL}{sel.pk}/usulkan/", follow=True)
        assert (
            "sudah diusulkan" in html(again)
            and AuditRecord.objects.filter(action="open_selection.propose").count() == 1
        )
        client.force_login(sel.users[0])
        assert 'data-testid="score-submit"' not in html(client.get(f"{URL}{sel.pk}/meja/"))
        assert client.get(f"{URL}{sel.pk}/usulan/").status_code == 200

    def test_a_tie_at_the_cut_is_flagged(self, client, login, world, sel):
        for i in range(3):
            declare(sel, i)
        score_everything(sel, {"Andi": 80, "Budi": 80, "Citra": 90, "Dewi": 95})
        login(world["admin_lpg"])
        assert 'data-testid="tie"' in html(client.get(f"{URL}{sel.pk}/peringkat/"))

    def test_out_of_scope_is_not_found(self, client, login, world, sel):
        login(world["admin_gtlo"])
        for path in ("peringkat/", "usulan/"):
            assert client.get(f"{URL}{sel.pk}/{path}").status_code == 404
        assert client.post(f"{URL}{sel.pk}/usulkan/").status_code == 404

    def test_the_ranking_runs_a_fixed_number_of_queries(self, client, login, world, sel, django_assert_max_num_queries):
        for name in ("Eko", "Fajar", "Gita", "Hadi", "Indah", "Joko"):
            SelectionCandidate.objects.create(selection=sel, name=name)
        sel.c = {c.name: c for c in sel.candidates.all()}
        for i in range(3):
            declare(sel, i, ["Joko"] if i == 0 else ())
        score_everything(sel, {n: 60 + k for k, n in enumerate(sel.c)}, skip={(0, "Joko")})
        login(world["admin_lpg"])
        url = f"{URL}{sel.pk}/peringkat/"
        client.get(url)
        with django_assert_max_num_queries(13):
            page = html(client.get(url))
        assert page.count('data-testid="total"') == 10
