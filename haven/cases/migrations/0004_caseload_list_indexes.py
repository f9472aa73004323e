"""The case list in reception order within one agency's caseload and one worker's cases (a page off the
index, with the person for a search's name-word probes), and one name word's persons in person order."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_list_and_statistics_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['owner_agency', 'received_on', 'id'], include=['person'],
                               name='case_owner_received_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['assigned_worker', 'owner_agency', 'received_on', 'id'], include=['person'],
                               name='case_worker_received_idx'),
        ),
        migrations.AddIndex(
            model_name='nametoken',
            index=models.Index(fields=['token_bidx', 'person'], name='nametoken_token_person_idx'),
        ),
    ]
