"""The results across campaigns price an SMS campaign as its plan did: each recipient's
own text in segments (a long name makes a two-part SMS), the figure the confirmation
showed and the spend cap counts, not the template's length."""

from __future__ import annotations

from decimal import Decimal

from kupon_desktop.audience import AudienceRules
from kupon_desktop.audience.window import SendWindow
from kupon_desktop.base import results
from kupon_desktop.campaign.session import CampaignSession, ContactList, Platform
from kupon_desktop.compose import Draft
from kupon_desktop.contacts.importer import import_file
from kupon_desktop.store.log import open_log
from kupon_desktop.vocabulary import MessageType


def test_an_sms_campaign_costs_what_its_plan_estimated(tmp_path):
    path = tmp_path / "list.csv"
    long_name = "Анна-Мария " + "Константинопольская" * 4  # the text needs two parts
    path.write_text(f"Имя;Телефон\nИван;89160000001\n{long_name};89160000002\n", encoding="utf-8")
    rules = AudienceRules(advertising=False, window=SendWindow.parse("off"))
    draft = Draft(type=MessageType.SMS, sender="Shop", text="{Имя}, скидка 10%")
    with open_log(tmp_path / "log.db") as log:
        session = CampaignSession(log, Platform("http://127.0.0.1:1", lambda: "t"))
        plan = session.plan(draft, ContactList.from_import(import_file(path), path), rules)
        assert plan.estimate is not None and plan.estimate.segments == 3
        campaign = session.create(plan)
        keys = [r.key for r in log.recipients_to_send(campaign, 10)]
        log.mark_in_flight(campaign, keys)
        log.mark_accepted(campaign, [(k, 100 + k) for k in keys])
        [sms] = results.funnel(log, "channel")
    assert sms.sent == 2
    assert sms.cost == plan.estimate.cost == Decimal("13.50")  # 3 parts × 4.50
