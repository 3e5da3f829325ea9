"""Quarter histograms (gran "q") beside the day, week and month ones: each is the sum of
its three month rows, so existing data is filled from them."""

from collections import defaultdict

import numpy as np
from django.db import migrations

PAIR = np.dtype([("bin", "<u2"), ("n", "<i4")])


def fill_quarters(apps, schema_editor):
    histogram = apps.get_model("dashboard", "DurationHistogram")
    sums = defaultdict(lambda: defaultdict(int))
    rows = histogram.objects.filter(gran="m").values_list("unit_key", "bucket", "metric", "data")
    for unit, month, metric, data in rows.iterator(chunk_size=2000):
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)
        into = sums[(unit, quarter, metric)]
        for b, n in np.frombuffer(bytes(data), dtype=PAIR).tolist():
            into[b] += n
    histogram.objects.bulk_create(
        (histogram(unit_key=unit, gran="q", bucket=quarter, metric=metric,
                   data=np.array(sorted((b, n) for b, n in bins.items() if n), dtype=PAIR).tobytes())
         for (unit, quarter, metric), bins in sums.items() if any(bins.values())),
        batch_size=1000)


def drop_quarters(apps, schema_editor):
    apps.get_model("dashboard", "DurationHistogram").objects.filter(gran="q").delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_monthly_counts")]

    operations = [migrations.RunPython(fill_quarters, drop_quarters)]
