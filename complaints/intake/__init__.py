"""Complaints arriving other than through the web form and Open311 (issue 17): e-mail
(`mail`), with the signed reply addresses the outbox puts on citizens' e-mails (`addresses`)."""
