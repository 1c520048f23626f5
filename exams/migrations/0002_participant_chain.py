"""One answer chain per participant instead of one per session: the head moves onto the participant's row
(which every save already locks) and the session's head table goes.

Events already stored were linked per session; they are re-linked here per participant, in id order
(the order their saves committed in), with their hashes recomputed and each participant's head set to
their last event. Acceptable before production: no published log or receipt refers to the old links
(receipts sign answers and scores, not hashes)."""

import datetime
import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64
BATCH = 5000


def event_hash(prev, participant_id, position, option_id, seq, at):
    # A frozen copy of exams.services._event_hash as it stood when this migration was written.
    when = at.astimezone(datetime.UTC).isoformat()
    body = json.dumps([prev, participant_id, position, option_id, seq, when], separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def relink_per_participant(apps, schema_editor):
    AnswerEvent = apps.get_model("exams", "AnswerEvent")
    Participant = apps.get_model("exams", "Participant")
    heads: dict[int, str] = {}
    last = 0
    while True:
        batch = list(AnswerEvent.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            break
        for e in batch:
            e.prev_hash = heads.get(e.participant_id, GENESIS)
            e.hash = event_hash(e.prev_hash, e.participant_id, e.position, e.option_id, e.seq, e.at)
            heads[e.participant_id] = e.hash
        AnswerEvent.objects.bulk_update(batch, ["prev_hash", "hash"], batch_size=1000)
        last = batch[-1].pk
    people = [Participant(pk=pk, last_hash=h) for pk, h in heads.items()]
    Participant.objects.bulk_update(people, ["last_hash"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('exams', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(
            name='SessionChainHead',
        ),
        migrations.AddField(
            model_name='participant',
            name='last_hash',
            field=models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64),
        ),
        # Going back recreates an empty head table: the session chains are not rebuilt.
        migrations.RunPython(relink_per_participant, migrations.RunPython.noop),
    ]
