<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ABPanel</name>
    <message>
        <source>A/B test</source>
        <extracomment>(group, variant name): the user picks the winner</extracomment>
        <translation>A/B test</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>clicked</translation>
    </message>
    <message>
        <source>winner</source>
        <translation>winner</translation>
    </message>
    <message>
        <source>leads</source>
        <translation>leads</translation>
    </message>
    <message>
        <source>Winner metric: %1 (share of the messages sent)</source>
        <translation>Winner metric: %1 (share of the messages sent)</translation>
    </message>
    <message>
        <source>Confidence of the difference %1 vs %2: %3</source>
        <translation>Confidence of the difference %1 vs %2: %3</translation>
    </message>
    <message>
        <source>significant</source>
        <translation>significant</translation>
    </message>
    <message>
        <source>not significant yet</source>
        <translation>not significant yet</translation>
    </message>
    <message>
        <source>Testing: the variants are being sent to %1 % of the list</source>
        <translation>Testing: the variants are being sent to %1 % of the list</translation>
    </message>
    <message>
        <source>Testing: the winner is chosen in %1</source>
        <translation>Testing: the winner is chosen in %1</translation>
    </message>
    <message>
        <source>Choosing the winner…</source>
        <translation>Choosing the winner…</translation>
    </message>
    <message>
        <source>Waiting for your choice: pick the variant the rest of the list gets</source>
        <translation>Waiting for your choice: pick the variant the rest of the list gets</translation>
    </message>
    <message>
        <source>Variant %1 won: sending it to the rest (%2 of %3)</source>
        <translation>Variant %1 won: sending it to the rest (%2 of %3)</translation>
    </message>
    <message>
        <source>Done: variant %1 won and was sent to the rest (%2)</source>
        <translation>Done: variant %1 won and was sent to the rest (%2)</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Being created</source>
        <translation>Being created</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
</context>
<context>
    <name>ABSection</name>
    <message>
        <source>A/B test</source>
        <translation>A/B test</translation>
    </message>
    <message>
        <source>Variant A is the text above. A share of the list gets each variant; when the decision time comes, the rest gets the winner.</source>
        <extracomment>the price of one SMS part, for the variants&apos; UCS-2 guard</extracomment>
        <translation>Variant A is the text above. A share of the list gets each variant; when the decision time comes, the rest gets the winner.</translation>
    </message>
    <message>
        <source>Add variant</source>
        <translation>Add variant</translation>
    </message>
    <message>
        <source>Split evenly among the variants, at random</source>
        <translation>Split evenly among the variants, at random</translation>
    </message>
    <message>
        <source>Test share:</source>
        <translation>Test share:</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>clicked</translation>
    </message>
    <message>
        <source>Winner by:</source>
        <translation>Winner by:</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>at once</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>hours</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>Decide after:</source>
        <translation>Decide after:</translation>
    </message>
    <message>
        <source>send the winner automatically</source>
        <translation>send the winner automatically</translation>
    </message>
    <message>
        <source>wait for my choice</source>
        <translation>wait for my choice</translation>
    </message>
    <message>
        <source>Then:</source>
        <translation>Then:</translation>
    </message>
    <message>
        <source>Demo: the simulator delivers and opens texts containing «%1» more often, so the variant with that word wins.</source>
        <translation>Demo: the simulator delivers and opens texts containing «%1» more often, so the variant with that word wins.</translation>
    </message>
    <message>
        <source>Variant %1: </source>
        <translation>Variant %1: </translation>
    </message>
</context>
<context>
    <name>AnalyticsPage</name>
    <message>
        <source>Analytics</source>
        <translation>Analytics</translation>
    </message>
    <message>
        <source>How campaigns did: sent, delivered, read, clicked and the cost, per channel, per list or segment, per period.</source>
        <translation>How campaigns did: sent, delivered, read, clicked and the cost, per channel, per list or segment, per period.</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>Group by:</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>channel</translation>
    </message>
    <message>
        <source>list, segment or file</source>
        <translation>list, segment or file</translation>
    </message>
    <message>
        <source>day</source>
        <translation>day</translation>
    </message>
    <message>
        <source>week</source>
        <translation>week</translation>
    </message>
    <message>
        <source>month</source>
        <translation>month</translation>
    </message>
    <message>
        <source>campaign</source>
        <translation>campaign</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>to</source>
        <translation>to</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>Export XLSX…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Group</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Campaigns</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>Clicked</source>
        <translation>Clicked</translation>
    </message>
    <message>
        <source>Delivered %</source>
        <translation>Delivered %</translation>
    </message>
    <message>
        <source>Read %</source>
        <translation>Read %</translation>
    </message>
    <message>
        <source>Clicked %</source>
        <translation>Clicked %</translation>
    </message>
    <message>
        <source>Cost, RUB</source>
        <translation>Cost, RUB</translation>
    </message>
    <message>
        <source>%1 group(s), %2 campaign(s), cost %3 RUB</source>
        <translation>%1 group(s), %2 campaign(s), cost %3 RUB</translation>
    </message>
    <message>
        <source>list</source>
        <translation>list</translation>
    </message>
    <message>
        <source>segment</source>
        <translation>segment</translation>
    </message>
    <message>
        <source>file</source>
        <translation>file</translation>
    </message>
    <message>
        <source>All campaigns</source>
        <translation>All campaigns</translation>
    </message>
    <message>
        <source>Export analytics</source>
        <translation>Export analytics</translation>
    </message>
    <message>
        <source>analytics.xlsx</source>
        <comment>default file name</comment>
        <translation>analytics.xlsx</translation>
    </message>
    <message>
        <source>Analytics exported to %1</source>
        <translation>Analytics exported to %1</translation>
    </message>
</context>
<context>
    <name>AudiencePicker</name>
    <message>
        <source>Send to:</source>
        <extracomment>(kind, name): the user picked another audience</extracomment>
        <translation>Send to:</translation>
    </message>
    <message>
        <source>the file on the Contacts page</source>
        <translation>the file on the Contacts page</translation>
    </message>
    <message>
        <source>a list of the base</source>
        <translation>a list of the base</translation>
    </message>
    <message>
        <source>a segment of the base</source>
        <translation>a segment of the base</translation>
    </message>
    <message>
        <source>No lists yet: import a file on the Base page.</source>
        <translation>No lists yet: import a file on the Base page.</translation>
    </message>
    <message>
        <source>No segments yet: make one on the Base page.</source>
        <translation>No segments yet: make one on the Base page.</translation>
    </message>
</context>
<context>
    <name>BaseHub</name>
    <message>
        <source>Base</source>
        <extracomment>a message for the status bar (frames like an import&apos;s: contacts, fields, field_names) the picked list or segment read for the Message page&apos;s preview; None when the file is picked again the picked list or segment as the session plans with it, read at the last Check or Send (None: the file is picked, or nothing read yet) the last dialog opened (tests answer it)</extracomment>
        <translation>Base</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Audience</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>%1 contact(s), read %2</source>
        <translation>%1 contact(s), read %2</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>clicked</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>undelivered</translation>
    </message>
    <message>
        <source>Save as list</source>
        <translation>Save as list</translation>
    </message>
    <message>
        <source>Save as segment</source>
        <translation>Save as segment</translation>
    </message>
    <message>
        <source>Name of the list of who %1:</source>
        <translation>Name of the list of who %1:</translation>
    </message>
    <message>
        <source>Name of the segment of who %1:</source>
        <translation>Name of the segment of who %1:</translation>
    </message>
    <message>
        <source>List «%1»: %2 contact(s); %3 new in the base</source>
        <translation>List «%1»: %2 contact(s); %3 new in the base</translation>
    </message>
    <message>
        <source>Segment «%1»: %2 contact(s); %3 new in the base</source>
        <translation>Segment «%1»: %2 contact(s); %3 new in the base</translation>
    </message>
</context>
<context>
    <name>CampaignPage</name>
    <message>
        <source>Campaign</source>
        <extracomment>(campaign id, keys) (campaign id, keys, MessageType) (campaign id, path) (campaign id) add the wrong recipients and the blocked (22, 23) to the stop list (campaign id, group, &quot;list&quot; or &quot;segment&quot;): save a group of recipients in the base (group: sent, delivered, read, clicked, undelivered) (A/B group, variant name): the user&apos;s pick of the winner</extracomment>
        <translation>Campaign</translation>
    </message>
    <message>
        <source>Statuses arrive here as the platform reports them: filter, search, resend and export.</source>
        <translation>Statuses arrive here as the platform reports them: filter, search, resend and export.</translation>
    </message>
    <message>
        <source>No campaign is open. Compose a message and press Send, or open one from History.</source>
        <extracomment>the file the open campaign&apos;s list came from (&quot;Export into my file&quot; offers it) recipients still waiting for a final status (the session&apos;s counts)</extracomment>
        <translation>No campaign is open. Compose a message and press Send, or open one from History.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Cancel campaign</source>
        <translation>Cancel campaign</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Export into my file…</source>
        <translation>Export into my file…</translation>
    </message>
    <message>
        <source>Wrong numbers to stop list…</source>
        <translation>Wrong numbers to stop list…</translation>
    </message>
    <message>
        <source>Add every recipient whose final status was &quot;wrong recipient&quot; (22) or &quot;blocked by a filter&quot; (23) to the stop list</source>
        <translation>Add every recipient whose final status was &quot;wrong recipient&quot; (22) or &quot;blocked by a filter&quot; (23) to the stop list</translation>
    </message>
    <message>
        <source>Save as list or segment</source>
        <translation>Save as list or segment</translation>
    </message>
    <message>
        <source>Save who clicked, read, got or did not get this campaign in the base</source>
        <translation>Save who clicked, read, got or did not get this campaign in the base</translation>
    </message>
    <message>
        <source>Search by number, address or name</source>
        <translation>Search by number, address or name</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copy</translation>
    </message>
    <message>
        <source>Campaign: %1</source>
        <translation>Campaign: %1</translation>
    </message>
    <message>
        <source>All</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Read / clicked</source>
        <translation>Read / clicked</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Unconfirmed</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>%1 of %2 sent</source>
        <translation>%1 of %2 sent</translation>
    </message>
    <message>
        <source>%1 not sent</source>
        <translation>%1 not sent</translation>
    </message>
    <message>
        <source>accepted %1</source>
        <translation>accepted %1</translation>
    </message>
    <message>
        <source>rejected %1</source>
        <translation>rejected %1</translation>
    </message>
    <message>
        <source>unconfirmed %1</source>
        <translation>unconfirmed %1</translation>
    </message>
    <message>
        <source>remaining %1</source>
        <translation>remaining %1</translation>
    </message>
    <message>
        <source>%1 msg/s</source>
        <translation>%1 msg/s</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>about %1 left</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Sending…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Paused</translation>
    </message>
    <message>
        <source>Interrupted: press Resume to continue</source>
        <translation>Interrupted: press Resume to continue</translation>
    </message>
    <message>
        <source>All sent; every status has arrived</source>
        <translation>All sent; every status has arrived</translation>
    </message>
    <message>
        <source>All sent; statuses keep arriving</source>
        <translation>All sent; statuses keep arriving</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>The A/B test waits for your choice of the winner</source>
        <translation>The A/B test waits for your choice of the winner</translation>
    </message>
    <message>
        <source>Resend (%1)</source>
        <translation>Resend (%1)</translation>
    </message>
    <message>
        <source>Resend through another channel</source>
        <translation>Resend through another channel</translation>
    </message>
    <message>
        <source>Skip (do not send)</source>
        <translation>Skip (do not send)</translation>
    </message>
    <message>
        <source>Who clicked</source>
        <translation>Who clicked</translation>
    </message>
    <message>
        <source>Who read</source>
        <translation>Who read</translation>
    </message>
    <message>
        <source>Who got it (delivered)</source>
        <translation>Who got it (delivered)</translation>
    </message>
    <message>
        <source>Undelivered</source>
        <translation>Undelivered</translation>
    </message>
    <message>
        <source>Everyone sent</source>
        <translation>Everyone sent</translation>
    </message>
    <message>
        <source>Save as list…</source>
        <translation>Save as list…</translation>
    </message>
    <message>
        <source>Save as segment…</source>
        <translation>Save as segment…</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Export results</translation>
    </message>
    <message>
        <source>Choose the workbook to fill with the results</source>
        <translation>Choose the workbook to fill with the results</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV table (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV table (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx *.xlsm)</source>
        <translation>Excel workbook (*.xlsx *.xlsm)</translation>
    </message>
</context>
<context>
    <name>ConditionRow</name>
    <message>
        <source>not</source>
        <extracomment>the kinds of condition, in the order the combo lists them a date field&apos;s ranges (the segment grammar&apos;s), in the order the combo lists them</extracomment>
        <translation>not</translation>
    </message>
    <message>
        <source>Contacts for whom this condition does not hold</source>
        <translation>Contacts for whom this condition does not hold</translation>
    </message>
    <message>
        <source>Field equals</source>
        <translation>Field equals</translation>
    </message>
    <message>
        <source>Field contains</source>
        <translation>Field contains</translation>
    </message>
    <message>
        <source>Field is empty</source>
        <translation>Field is empty</translation>
    </message>
    <message>
        <source>Field is a date</source>
        <translation>Field is a date</translation>
    </message>
    <message>
        <source>In list</source>
        <translation>In list</translation>
    </message>
    <message>
        <source>Has tag</source>
        <translation>Has tag</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>Consent given</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Consent withdrawn</translation>
    </message>
    <message>
        <source>Outcome in campaign</source>
        <translation>Outcome in campaign</translation>
    </message>
    <message>
        <source>Outcome in the last days</source>
        <translation>Outcome in the last days</translation>
    </message>
    <message>
        <source>value</source>
        <translation>value</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>phone</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>clicked</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>undelivered</translation>
    </message>
    <message>
        <source>today</source>
        <translation>today</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>this week</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>this month</translation>
    </message>
    <message>
        <source>in the next days</source>
        <translation>in the next days</translation>
    </message>
    <message>
        <source>in the last days</source>
        <translation>in the last days</translation>
    </message>
    <message>
        <source>every year</source>
        <translation>every year</translation>
    </message>
    <message>
        <source>Compare the day and month only, whatever the year: birthdays</source>
        <translation>Compare the day and month only, whatever the year: birthdays</translation>
    </message>
    <message>
        <source>the last campaign</source>
        <translation>the last campaign</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation>Remove this condition</translation>
    </message>
</context>
<context>
    <name>ContactBasePage</name>
    <message>
        <source>Base</source>
        <extracomment>what a tree item stands for (Qt.UserRole): (&quot;all&quot;, &quot;&quot;), (&quot;list&quot;, name), (&quot;deleted&quot;, name), (&quot;segment&quot;, name) or (&quot;group&quot;, &quot;&quot;) lists or segments were created, renamed or deleted (the audience picker reloads) a message for the status bar</extracomment>
        <translation>Base</translation>
    </message>
    <message>
        <source>Every contact you have imported, once per person: lists, segments and consent. Import a file into a list; a person already known is updated, not added twice.</source>
        <translation>Every contact you have imported, once per person: lists, segments and consent. Import a file into a list; a person already known is updated, not added twice.</translation>
    </message>
    <message>
        <source>New list…</source>
        <extracomment>the last dialog opened (tests answer it) which base this is, when it is the team&apos;s on a server</extracomment>
        <translation>New list…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Rename…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>New segment…</source>
        <translation>New segment…</translation>
    </message>
    <message>
        <source>Import into a list…</source>
        <translation>Import into a list…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Search by phone, e-mail or any field</source>
        <translation>Search by phone, e-mail or any field</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>withdrawn</translation>
    </message>
    <message>
        <source>Select a contact to see its card.</source>
        <translation>Select a contact to see its card.</translation>
    </message>
    <message>
        <source>Withdraw consent</source>
        <translation>Withdraw consent</translation>
    </message>
    <message>
        <source>No advertising to this person from now on, on any channel</source>
        <translation>No advertising to this person from now on, on any channel</translation>
    </message>
    <message>
        <source>Record consent…</source>
        <translation>Record consent…</translation>
    </message>
    <message>
        <source>Export consent proof…</source>
        <translation>Export consent proof…</translation>
    </message>
    <message>
        <source>The team&apos;s base on the server %1: every desk of the team sees these lists, segments and consents, and a file imported here goes there.</source>
        <translation>The team&apos;s base on the server %1: every desk of the team sees these lists, segments and consents, and a file imported here goes there.</translation>
    </message>
    <message>
        <source>All contacts</source>
        <translation>All contacts</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>Lists</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segments</translation>
    </message>
    <message>
        <source>The list «%1» is deleted: press Restore to see and use it again.</source>
        <translation>The list «%1» is deleted: press Restore to see and use it again.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Consent (phone)</source>
        <translation>Consent (phone)</translation>
    </message>
    <message>
        <source>Consent (e-mail)</source>
        <translation>Consent (e-mail)</translation>
    </message>
    <message>
        <source>List «%1»</source>
        <translation>List «%1»</translation>
    </message>
    <message>
        <source>Segment «%1»</source>
        <translation>Segment «%1»</translation>
    </message>
    <message>
        <source>%1 contact(s)</source>
        <translation>%1 contact(s)</translation>
    </message>
    <message>
        <source>found by the search</source>
        <translation>found by the search</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>On the stop list: %1</source>
        <translation>On the stop list: %1</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>No consent recorded.</source>
        <translation>No consent recorded.</translation>
    </message>
    <message>
        <source>given</source>
        <translation>given</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>phone</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>added to the base</source>
        <translation>added to the base</translation>
    </message>
    <message>
        <source>file %1</source>
        <translation>file %1</translation>
    </message>
    <message>
        <source>campaign %1</source>
        <translation>campaign %1</translation>
    </message>
    <message>
        <source>typed</source>
        <translation>typed</translation>
    </message>
    <message>
        <source>, row %1</source>
        <translation>, row %1</translation>
    </message>
    <message>
        <source>withdrawn by the user</source>
        <translation>withdrawn by the user</translation>
    </message>
    <message>
        <source>a reply</source>
        <translation>a reply</translation>
    </message>
    <message>
        <source>stop list</source>
        <translation>stop list</translation>
    </message>
    <message>
        <source>New list</source>
        <translation>New list</translation>
    </message>
    <message>
        <source>Name of the list:</source>
        <translation>Name of the list:</translation>
    </message>
    <message>
        <source>Rename list</source>
        <translation>Rename list</translation>
    </message>
    <message>
        <source>New name of «%1»:</source>
        <translation>New name of «%1»:</translation>
    </message>
    <message>
        <source>Rename segment</source>
        <translation>Rename segment</translation>
    </message>
    <message>
        <source>List «%1» deleted: select it and press Restore to undo.</source>
        <translation>List «%1» deleted: select it and press Restore to undo.</translation>
    </message>
    <message>
        <source>Segment «%1» deleted.</source>
        <translation>Segment «%1» deleted.</translation>
    </message>
    <message>
        <source>%1 contact(s) now</source>
        <translation>%1 contact(s) now</translation>
    </message>
    <message>
        <source>Import contacts into the base</source>
        <translation>Import contacts into the base</translation>
    </message>
    <message>
        <source>Import into a list</source>
        <translation>Import into a list</translation>
    </message>
    <message>
        <source>%1 goes into the list (pick one or type a new name):</source>
        <translation>%1 goes into the list (pick one or type a new name):</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>Importing %1…</translation>
    </message>
    <message>
        <source>%1 → list «%2»: added %3, updated %4, unchanged %5, rejected %6.</source>
        <translation>%1 → list «%2»: added %3, updated %4, unchanged %5, rejected %6.</translation>
    </message>
    <message>
        <source>Import into the base</source>
        <translation>Import into the base</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>row %1</translation>
    </message>
    <message>
        <source>Export contacts</source>
        <translation>Export contacts</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>contacts.xlsx</source>
        <comment>default file name</comment>
        <translation>contacts.xlsx</translation>
    </message>
    <message>
        <source>%1 contact(s) exported to %2</source>
        <translation>%1 contact(s) exported to %2</translation>
    </message>
    <message>
        <source>withdrawn in the Base page</source>
        <translation>withdrawn in the Base page</translation>
    </message>
    <message>
        <source>Consent of %1 withdrawn: no advertising from now on.</source>
        <translation>Consent of %1 withdrawn: no advertising from now on.</translation>
    </message>
    <message>
        <source>Record consent</source>
        <translation>Record consent</translation>
    </message>
    <message>
        <source>What did the person agree to (the wording)?</source>
        <translation>What did the person agree to (the wording)?</translation>
    </message>
    <message>
        <source>Export consent proof</source>
        <translation>Export consent proof</translation>
    </message>
    <message>
        <source>consent-%1.xlsx</source>
        <comment>default file name</comment>
        <translation>consent-%1.xlsx</translation>
    </message>
    <message>
        <source>Consent proof written to %1: %2 consent event(s), %3 message(s)</source>
        <translation>Consent proof written to %1: %2 consent event(s), %3 message(s)</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Contacts</source>
        <extracomment>(ImportResult, path) once a list has been imported</extracomment>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>Import the list you already have: Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. Phones are recognised however they are written.</source>
        <translation>Import the list you already have: Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. Phones are recognised however they are written.</translation>
    </message>
    <message>
        <source>Import contacts…</source>
        <extracomment>default phone region for numbers without a country code (from Settings)</extracomment>
        <translation>Import contacts…</translation>
    </message>
    <message>
        <source>Export rejected rows…</source>
        <translation>Export rejected rows…</translation>
    </message>
    <message>
        <source>Search contacts</source>
        <translation>Search contacts</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>No contacts yet.
Drop a file here or press Ctrl+O to import one.</source>
        <translation>No contacts yet.
Drop a file here or press Ctrl+O to import one.</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>Import contacts</translation>
    </message>
    <message>
        <source>The list loaded before is kept.</source>
        <translation>The list loaded before is kept.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Reading %1…</translation>
    </message>
    <message>
        <source>Showing the list…</source>
        <translation>Showing the list…</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Push token</source>
        <translation>Push token</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>left out: the same phone, e-mail and token as row %1</source>
        <translation>left out: the same phone, e-mail and token as row %1</translation>
    </message>
    <message>
        <source>kept: one message to this address, as row %1 has it too</source>
        <translation>kept: one message to this address, as row %1 has it too</translation>
    </message>
    <message>
        <source>Same as row</source>
        <translation>Same as row</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>What happens</translation>
    </message>
    <message>
        <source>%1; the row loaded by its other address</source>
        <translation>%1; the row loaded by its other address</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>Remark</translation>
    </message>
    <message>
        <source>Import the other %1 address(es) in these cells as rows of their own</source>
        <translation>Import the other %1 address(es) in these cells as rows of their own</translation>
    </message>
    <message>
        <source>Remarks (%1)</source>
        <translation>Remarks (%1)</translation>
    </message>
    <message>
        <source>Contacts (%1 of %2)</source>
        <translation>Contacts (%1 of %2)</translation>
    </message>
    <message>
        <source>Contacts (%1)</source>
        <translation>Contacts (%1)</translation>
    </message>
    <message>
        <source>Rejected (%1)</source>
        <translation>Rejected (%1)</translation>
    </message>
    <message>
        <source>Duplicates (%1)</source>
        <translation>Duplicates (%1)</translation>
    </message>
    <message>
        <source>%1: %2 rows read · %3 imported · %4 rejected · %5 duplicates · %6 blank rows skipped</source>
        <translation>%1: %2 rows read · %3 imported · %4 rejected · %5 duplicates · %6 blank rows skipped</translation>
    </message>
    <message>
        <source>Export rejected rows</source>
        <translation>Export rejected rows</translation>
    </message>
    <message>
        <source>Could not write the file: %1</source>
        <translation>Could not write the file: %1</translation>
    </message>
    <message>
        <source>Rejected rows saved to %1</source>
        <translation>Rejected rows saved to %1</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <source>Something went wrong inside Kupon Desktop. Your data is safe: the campaign log is kept on disk. You can keep working; if this repeats, send the details below to support.</source>
        <translation>Something went wrong inside Kupon Desktop. Your data is safe: the campaign log is kept on disk. You can keep working; if this repeats, send the details below to support.</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Copy details</translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <source>Tables (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)</source>
        <extracomment>rows measured to size a column to its contents the share of the progress bar the importer fills; the rest is the page showing the list</extracomment>
        <translation>Tables (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <extracomment>how often the team&apos;s campaigns are asked again while History is on screen, ms campaign id to open in the Campaign page an approver approves a team campaign: (campaign id, what it is, in words) the team&apos;s campaigns are due to be asked again (History is on screen)</extracomment>
        <translation>History</translation>
    </message>
    <message>
        <source>Every campaign sent from this computer, with its counts. Open one to see its recipients.</source>
        <translation>Every campaign sent from this computer, with its counts. Open one to see its recipients.</translation>
    </message>
    <message>
        <source>No campaigns yet.</source>
        <translation>No campaigns yet.</translation>
    </message>
    <message>
        <source>Team campaigns</source>
        <translation>Team campaigns</translation>
    </message>
    <message>
        <source>Approve…</source>
        <extracomment>the team table&apos;s campaign ids and approval states, in the frame&apos;s order this desk&apos;s user and role on the team server (&quot;&quot; until it answered)</extracomment>
        <translation>Approve…</translation>
    </message>
    <message>
        <source>Approve the selected campaign: its sender can then send it.</source>
        <translation>Approve the selected campaign: its sender can then send it.</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Read / clicked</source>
        <translation>Read / clicked</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>draft</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>sending</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>paused</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>finished</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrupted</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>sender</source>
        <translation>sender</translation>
    </message>
    <message>
        <source>approver</source>
        <translation>approver</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>viewer</translation>
    </message>
    <message>
        <source>you are %1 (%2)</source>
        <translation>you are %1 (%2)</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>not needed</translation>
    </message>
    <message>
        <source>waiting for an approver</source>
        <translation>waiting for an approver</translation>
    </message>
    <message>
        <source>approved by %1</source>
        <translation>approved by %1</translation>
    </message>
    <message>
        <source>«%1» by %2, %3 recipient(s)</source>
        <translation>«%1» by %2, %3 recipient(s)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>Computer</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Approval</translation>
    </message>
    <message>
        <source>Statuses received</source>
        <translation>Statuses received</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Unconfirmed</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>Opening the file</source>
        <translation>Opening the file</translation>
    </message>
    <message>
        <source>Reading the file</source>
        <translation>Reading the file</translation>
    </message>
    <message>
        <source>Checking phone numbers</source>
        <translation>Checking phone numbers</translation>
    </message>
    <message>
        <source>Checking e-mail addresses</source>
        <translation>Checking e-mail addresses</translation>
    </message>
    <message>
        <source>Looking for duplicates</source>
        <translation>Looking for duplicates</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import %1</source>
        <translation>Import %1</translation>
    </message>
    <message>
        <source>Check what was understood. The header row is highlighted; rows above it are skipped. Change the sheet, the header row or any column&apos;s role if needed.</source>
        <translation>Check what was understood. The header row is highlighted; rows above it are skipped. Change the sheet, the header row or any column&apos;s role if needed.</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>Sheet:</translation>
    </message>
    <message>
        <source>no header</source>
        <translation>no header</translation>
    </message>
    <message>
        <source>Header row:</source>
        <translation>Header row:</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Push token</source>
        <translation>Push token</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>encoding %1</source>
        <translation>encoding %1</translation>
    </message>
    <message>
        <source>separator %1</source>
        <translation>separator %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>LetterPreview</name>
    <message>
        <source>From:</source>
        <extracomment>characters of the subject line shown</extracomment>
        <translation>From:</translation>
    </message>
    <message>
        <source>(no sender)</source>
        <translation>(no sender)</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Subject:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — demo</source>
        <extracomment>the user closed the window (Quit): the program ends</extracomment>
        <translation> — demo</translation>
    </message>
    <message>
        <source>Contacts</source>
        <extracomment>Cancel or Quit paused the engine: its &quot;paused&quot; is not a notice of its own the team&apos;s campaigns being asked (History&apos;s timer waits for it)</extracomment>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Stop list</source>
        <translation>Stop list</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>Base</translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation>Analytics</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Import contacts…</source>
        <translation>&amp;Import contacts…</translation>
    </message>
    <message>
        <source>&amp;Export results…</source>
        <translation>&amp;Export results…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Import into the &amp;base…</source>
        <translation>Import into the &amp;base…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cu&amp;t</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Paste</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>Select &amp;All</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Contacts</source>
        <translation>&amp;Contacts</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Message</translation>
    </message>
    <message>
        <source>C&amp;ampaign</source>
        <translation>C&amp;ampaign</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;History</translation>
    </message>
    <message>
        <source>&amp;Stop list</source>
        <translation>&amp;Stop list</translation>
    </message>
    <message>
        <source>&amp;Base</source>
        <translation>&amp;Base</translation>
    </message>
    <message>
        <source>&amp;Analytics</source>
        <translation>&amp;Analytics</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About Kupon Desktop</source>
        <translation>&amp;About Kupon Desktop</translation>
    </message>
    <message>
        <source>Team server: connected</source>
        <translation>Team server: connected</translation>
    </message>
    <message>
        <source>Demo platform (simulator at %1): nothing leaves this computer</source>
        <translation>Demo platform (simulator at %1): nothing leaves this computer</translation>
    </message>
    <message>
        <source>Platform: %1</source>
        <translation>Platform: %1</translation>
    </message>
    <message>
        <source>Demo token</source>
        <translation>Demo token</translation>
    </message>
    <message>
        <source>Token set</source>
        <translation>Token set</translation>
    </message>
    <message>
        <source>No token: File → Settings</source>
        <translation>No token: File → Settings</translation>
    </message>
    <message>
        <source>Importing %1</source>
        <translation>Importing %1</translation>
    </message>
    <message>
        <source>A/B test</source>
        <translation>A/B test</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Resend</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Open campaign</source>
        <translation>Open campaign</translation>
    </message>
    <message>
        <source>Interrupted campaign</source>
        <translation>Interrupted campaign</translation>
    </message>
    <message>
        <source>%1 campaign(s) were interrupted when the program last closed. Messages whose sending was under way are marked &quot;unconfirmed&quot;: check them in the grid before resending. Press Resume to send the rest.</source>
        <translation>%1 campaign(s) were interrupted when the program last closed. Messages whose sending was under way are marked &quot;unconfirmed&quot;: check them in the grid before resending. Press Resume to send the rest.</translation>
    </message>
    <message>
        <source>The log lost its last writes</source>
        <translation>The log lost its last writes</translation>
    </message>
    <message>
        <source>The campaign log&apos;s last writes were lost after a crash (its -wal file was removed). %1 recipient(s) whose message may have gone out are marked &quot;unconfirmed&quot;: check them in the grid before resending. Nothing is sent to them again by itself.</source>
        <translation>The campaign log&apos;s last writes were lost after a crash (its -wal file was removed). %1 recipient(s) whose message may have gone out are marked &quot;unconfirmed&quot;: check them in the grid before resending. Nothing is sent to them again by itself.</translation>
    </message>
    <message>
        <source>The campaign the program was closed during continues.</source>
        <translation>The campaign the program was closed during continues.</translation>
    </message>
    <message>
        <source>The team server cannot be asked now: %1 The list below is as it was.</source>
        <translation>The team server cannot be asked now: %1 The list below is as it was.</translation>
    </message>
    <message>
        <source>Approve campaign</source>
        <translation>Approve campaign</translation>
    </message>
    <message>
        <source>Approve campaign %1? Its sender can then send it; the approval is recorded in the team&apos;s audit log under your name.</source>
        <translation>Approve campaign %1? Its sender can then send it; the approval is recorded in the team&apos;s audit log under your name.</translation>
    </message>
    <message>
        <source>Campaign %1 approved.</source>
        <translation>Campaign %1 approved.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>A campaign is being sent. Pause it or wait until it ends.</source>
        <translation>A campaign is being sent. Pause it or wait until it ends.</translation>
    </message>
    <message>
        <source>Estimate: %1 · cap: %2</source>
        <translation>Estimate: %1 · cap: %2</translation>
    </message>
    <message>
        <source>sending stops at ~%1 %</source>
        <translation>sending stops at ~%1 %</translation>
    </message>
    <message>
        <source>within the cap</source>
        <translation>within the cap</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>clicked</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>the rest (%1) gets the winner automatically</source>
        <translation>the rest (%1) gets the winner automatically</translation>
    </message>
    <message>
        <source>the rest (%1) waits for your choice of the winner</source>
        <translation>the rest (%1) waits for your choice of the winner</translation>
    </message>
    <message>
        <source>A/B test: %1 variants, %2 recipients (%3 %) split evenly; winner by %4 %5 after the test; %6.</source>
        <translation>A/B test: %1 variants, %2 recipients (%3 %) split evenly; winner by %4 %5 after the test; %6.</translation>
    </message>
    <message>
        <source>Send %1 message(s) through %2?</source>
        <translation>Send %1 message(s) through %2?</translation>
    </message>
    <message>
        <source>%1 on the stop list left out</source>
        <translation>%1 on the stop list left out</translation>
    </message>
    <message>
        <source>%1 without consent left out</source>
        <translation>%1 without consent left out</translation>
    </message>
    <message>
        <source>%1 duplicate(s) of the same address left out</source>
        <translation>%1 duplicate(s) of the same address left out</translation>
    </message>
    <message>
        <source>%1 scheduled for later: the send window %2 in each recipient&apos;s own time zone</source>
        <translation>%1 scheduled for later: the send window %2 in each recipient&apos;s own time zone</translation>
    </message>
    <message>
        <source>Demo mode: the messages go to the built-in simulator.</source>
        <translation>Demo mode: the messages go to the built-in simulator.</translation>
    </message>
    <message>
        <source>Send campaign</source>
        <translation>Send campaign</translation>
    </message>
    <message>
        <source>Test send</source>
        <translation>Test send</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Raise the spend cap</source>
        <translation>Raise the spend cap</translation>
    </message>
    <message>
        <source>The campaign stopped at its spend cap (%1). A new cap, RUB (empty: no cap):</source>
        <translation>The campaign stopped at its spend cap (%1). A new cap, RUB (empty: no cap):</translation>
    </message>
    <message>
        <source>Cancel campaign</source>
        <translation>Cancel campaign</translation>
    </message>
    <message>
        <source>Stop the campaign? Messages already sent stay sent; the rest will not be sent.</source>
        <translation>Stop the campaign? Messages already sent stay sent; the rest will not be sent.</translation>
    </message>
    <message>
        <source>Campaign paused</source>
        <translation>Campaign paused</translation>
    </message>
    <message>
        <source>%1 row(s) exported to %2</source>
        <translation>%1 row(s) exported to %2</translation>
    </message>
    <message>
        <source>No recipient of this campaign ended as a wrong recipient or blocked.</source>
        <translation>No recipient of this campaign ended as a wrong recipient or blocked.</translation>
    </message>
    <message>
        <source>Add %1 recipient(s) whose final status was &quot;wrong recipient&quot; or &quot;blocked by a filter&quot; to the stop list? Later campaigns will leave them out.</source>
        <translation>Add %1 recipient(s) whose final status was &quot;wrong recipient&quot; or &quot;blocked by a filter&quot; to the stop list? Later campaigns will leave them out.</translation>
    </message>
    <message>
        <source>%1 added to the stop list</source>
        <translation>%1 added to the stop list</translation>
    </message>
    <message>
        <source>The new language takes effect when you restart the program.</source>
        <translation>The new language takes effect when you restart the program.</translation>
    </message>
    <message>
        <source>The team server does not answer since %1</source>
        <translation>The team server does not answer since %1</translation>
    </message>
    <message>
        <source>Statuses come when it is back. Sending goes on with the stop list this desk has, and pauses once it is older than %1 s.</source>
        <translation>Statuses come when it is back. Sending goes on with the stop list this desk has, and pauses once it is older than %1 s.</translation>
    </message>
    <message>
        <source>About Kupon Desktop</source>
        <translation>About Kupon Desktop</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kupon Desktop %1&lt;/h3&gt;&lt;p&gt;Campaign manager for the Kupon.mobi messaging platform: import a list, compose, send, and watch every recipient&apos;s status.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Kupon Desktop %1&lt;/h3&gt;&lt;p&gt;Campaign manager for the Kupon.mobi messaging platform: import a list, compose, send, and watch every recipient&apos;s status.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MessageCheck</name>
    <message>
        <source>rows %1</source>
        <translation>rows %1</translation>
    </message>
    <message>
        <source> … and %1 more</source>
        <translation> … and %1 more</translation>
    </message>
    <message>
        <source>hide rows</source>
        <translation>hide rows</translation>
    </message>
    <message>
        <source>show rows</source>
        <translation>show rows</translation>
    </message>
    <message>
        <source>%1 contacts have no %2: rows %3</source>
        <translation>%1 contacts have no %2: rows %3</translation>
    </message>
    <message>
        <source>%1 rows have this problem (rows %3); the first: %2</source>
        <translation>%1 rows have this problem (rows %3); the first: %2</translation>
    </message>
</context>
<context>
    <name>MessageForm</name>
    <message>
        <source>Channel:</source>
        <translation>Channel:</translation>
    </message>
    <message>
        <source>the name recipients see in &quot;from&quot;</source>
        <translation>the name recipients see in &quot;from&quot;</translation>
    </message>
    <message>
        <source>saved codes</source>
        <translation>saved codes</translation>
    </message>
    <message>
        <source>Save code…</source>
        <translation>Save code…</translation>
    </message>
    <message>
        <source>Sender:</source>
        <translation>Sender:</translation>
    </message>
    <message>
        <source>Hello, {Name}! …</source>
        <translation>Hello, {Name}! …</translation>
    </message>
    <message>
        <source>Insert a field from the list…</source>
        <translation>Insert a field from the list…</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>Text:</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Load .html…</source>
        <translation>Load .html…</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Open in browser</translation>
    </message>
    <message>
        <source>HTML:</source>
        <translation>HTML:</translation>
    </message>
    <message>
        <source>e.g. Open the catalogue</source>
        <translation>e.g. Open the catalogue</translation>
    </message>
    <message>
        <source>Button caption:</source>
        <translation>Button caption:</translation>
    </message>
    <message>
        <source>Button action:</source>
        <translation>Button action:</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Image:</translation>
    </message>
    <message>
        <source>platform default</source>
        <translation>platform default</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Lifetime (ttl):</source>
        <translation>Lifetime (ttl):</translation>
    </message>
    <message>
        <source>Send later:</source>
        <translation>Send later:</translation>
    </message>
    <message>
        <source>Charset:</source>
        <translation>Charset:</translation>
    </message>
    <message>
        <source>Service message, not advertising (no consent needed)</source>
        <translation>Service message, not advertising (no consent needed)</translation>
    </message>
    <message>
        <source>Find push/bot tokens by phone or e-mail</source>
        <translation>Find push/bot tokens by phone or e-mail</translation>
    </message>
    <message>
        <source>Kannel-compatible status codes</source>
        <translation>Kannel-compatible status codes</translation>
    </message>
    <message>
        <source>Spend cap:</source>
        <translation>Spend cap:</translation>
    </message>
    <message>
        <source>Cascade code:</source>
        <translation>Cascade code:</translation>
    </message>
    <message>
        <source>digits: the scenario mailing&apos;s code</source>
        <translation>digits: the scenario mailing&apos;s code</translation>
    </message>
    <message>
        <source>https://… or /command</source>
        <translation>https://… or /command</translation>
    </message>
    <message>
        <source>Save cascade code</source>
        <translation>Save cascade code</translation>
    </message>
    <message>
        <source>A name for code %1 (e.g. &quot;Viber→SMS, spring promo&quot;):</source>
        <translation>A name for code %1 (e.g. &quot;Viber→SMS, spring promo&quot;):</translation>
    </message>
    <message>
        <source>Load HTML</source>
        <translation>Load HTML</translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <source> (%1 billed units)</source>
        <translation> (%1 billed units)</translation>
    </message>
    <message>
        <source>Estimated cost: %1 for %3 message(s)</source>
        <translation>Estimated cost: %1 for %3 message(s)</translation>
    </message>
    <message>
        <source>; of them %1 to numbers that are not mobiles (%2)</source>
        <translation>; of them %1 to numbers that are not mobiles (%2)</translation>
    </message>
    <message>
        <source> at example prices: set yours in Settings</source>
        <translation> at example prices: set yours in Settings</translation>
    </message>
    <message>
        <source>Message</source>
        <extracomment>(Draft) the user pressed Send and the check found nothing blocking (Draft, address) a test send to one typed number or address</extracomment>
        <translation>Message</translation>
    </message>
    <message>
        <source>Choose the channel, write the text with {placeholders} from your list, and check it before sending.</source>
        <translation>Choose the channel, write the text with {placeholders} from your list, and check it before sending.</translation>
    </message>
    <message>
        <source>Preview</source>
        <extracomment>bumped at each preview: a preview rendered aside for an older one is dropped ``async (draft, advertising) -&gt; campaign.session.Plan``, set by the window: the session&apos;s plan for the loaded list (None: only the draft itself is checked)</extracomment>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Previous recipient</source>
        <translation>Previous recipient</translation>
    </message>
    <message>
        <source>Next recipient</source>
        <translation>Next recipient</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Press Check to look for problems.</source>
        <translation>Press Check to look for problems.</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>Send…</translation>
    </message>
    <message>
        <source>a number or address for a test</source>
        <translation>a number or address for a test</translation>
    </message>
    <message>
        <source>Send test</source>
        <translation>Send test</translation>
    </message>
    <message>
        <source>No contacts imported: showing a sample contact</source>
        <translation>No contacts imported: showing a sample contact</translation>
    </message>
    <message>
        <source>No contacts imported: showing the template</source>
        <translation>No contacts imported: showing the template</translation>
    </message>
    <message>
        <source>(no address for this type)</source>
        <translation>(no address for this type)</translation>
    </message>
    <message>
        <source>Recipient %1 of %2 (row %3): %4</source>
        <translation>Recipient %1 of %2 (row %3): %4</translation>
    </message>
    <message>
        <source>over %1 characters: far too long for one message</source>
        <extracomment>what &quot;Open in browser&quot; opens: the letter filled, with its real images</extracomment>
        <translation>over %1 characters: far too long for one message</translation>
    </message>
    <message>
        <source>over %1 characters</source>
        <translation>over %1 characters</translation>
    </message>
    <message>
        <source>%1 characters: far too long for one message</source>
        <translation>%1 characters: far too long for one message</translation>
    </message>
    <message>
        <source>%1 characters</source>
        <translation>%1 characters</translation>
    </message>
    <message>
        <source>%1 characters · %2 · %3 SMS segment(s)</source>
        <translation>%1 characters · %2 · %3 SMS segment(s)</translation>
    </message>
    <message>
        <source>%1 chars · %2 · %3 SMS</source>
        <translation>%1 chars · %2 · %3 SMS</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>loading…</translation>
    </message>
    <message>
        <source>Image preview</source>
        <translation>Image preview</translation>
    </message>
    <message>
        <source>not an image</source>
        <extracomment>a picture bigger than this is not an image a message carries: not read further</extracomment>
        <translation>not an image</translation>
    </message>
    <message>
        <source>The image could not be loaded (%1): check the address before sending.</source>
        <translation>The image could not be loaded (%1): check the address before sending.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>A variant of the A/B test has an error: see the list.</source>
        <translation>A variant of the A/B test has an error: see the list.</translation>
    </message>
    <message>
        <source>The draft has no errors; import contacts to check it against the list.</source>
        <translation>The draft has no errors; import contacts to check it against the list.</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>No problems found.</translation>
    </message>
    <message>
        <source>%1 error(s) block sending, %2 warning(s).</source>
        <translation>%1 error(s) block sending, %2 warning(s).</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Import contacts before sending.</source>
        <translation>Import contacts before sending.</translation>
    </message>
</context>
<context>
    <name>MessagePreview</name>
    <message>
        <source>… the rest is not shown here (the message is sent whole)</source>
        <extracomment>characters of a rendered text the preview lays out (an unbreakable run of 20,000 took 0.4 s to lay out; 4,000 take 30 ms) characters without a space beyond which a text is wrapped anywhere characters of an HTML document rendered in the preview</extracomment>
        <translation>… the rest is not shown here (the message is sent whole)</translation>
    </message>
    <message>
        <source>… %1 more characters not shown here (the message is sent whole)</source>
        <translation>… %1 more characters not shown here (the message is sent whole)</translation>
    </message>
    <message>
        <source>This document is too big to preview here (%1 characters). Use “Open in browser” to see it.</source>
        <translation>This document is too big to preview here (%1 characters). Use “Open in browser” to see it.</translation>
    </message>
    <message>
        <source>… part of a long value is not shown here (it is sent whole)</source>
        <extracomment>characters of one cell the preview renders from</extracomment>
        <translation>… part of a long value is not shown here (it is sent whole)</translation>
    </message>
    <message>
        <source>Unknown placeholder(s) %1: the contact list has no such column; they are sent as written.</source>
        <extracomment>around an unknown placeholder in a rendered text (private-use characters: no message has them, and they survive the renderer&apos;s HTML escaping) how an unknown placeholder looks in every face of the preview values of the sample row shown when no contacts are imported (column names as people write them; any other column shows its own name in guillemets)</extracomment>
        <translation>Unknown placeholder(s) %1: the contact list has no such column; they are sent as written.</translation>
    </message>
    <message>
        <source>image: %1</source>
        <extracomment>characters of an address still tried as a file&apos;s path</extracomment>
        <translation>image: %1</translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message>
        <source>RUB</source>
        <comment>currency after an amount</comment>
        <translation>RUB</translation>
    </message>
    <message>
        <source>RUB</source>
        <translation>RUB</translation>
    </message>
</context>
<context>
    <name>PhonePreview</name>
    <message>
        <source>(no sender)</source>
        <extracomment>the messengers shown as a bubble each messenger&apos;s button colour, so the bubble looks like the app it lands in the picture&apos;s width in the bubble</extracomment>
        <translation>(no sender)</translation>
    </message>
</context>
<context>
    <name>Segment</name>
    <message>
        <source>and</source>
        <translation>and</translation>
    </message>
    <message>
        <source>or</source>
        <translation>or</translation>
    </message>
    <message>
        <source>not</source>
        <translation>not</translation>
    </message>
    <message>
        <source>%1 contains «%2»</source>
        <translation>%1 contains «%2»</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 is empty</translation>
    </message>
    <message>
        <source>%1 is not empty</source>
        <translation>%1 is not empty</translation>
    </message>
    <message>
        <source>in list «%1»</source>
        <translation>in list «%1»</translation>
    </message>
    <message>
        <source>tagged «%1»</source>
        <translation>tagged «%1»</translation>
    </message>
    <message>
        <source>consent withdrawn (%1)</source>
        <translation>consent withdrawn (%1)</translation>
    </message>
    <message>
        <source>consent given (%1)</source>
        <translation>consent given (%1)</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>read</source>
        <translation>read</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>clicked</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>undelivered</translation>
    </message>
    <message>
        <source>%1 in the last %2 days</source>
        <translation>%1 in the last %2 days</translation>
    </message>
    <message>
        <source>the last campaign</source>
        <translation>the last campaign</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <source>%1 is today</source>
        <translation>%1 is today</translation>
    </message>
    <message>
        <source>%1 is this week</source>
        <translation>%1 is this week</translation>
    </message>
    <message>
        <source>%1 is this month</source>
        <translation>%1 is this month</translation>
    </message>
    <message>
        <source>%1 is in the next %2 days</source>
        <translation>%1 is in the next %2 days</translation>
    </message>
    <message>
        <source>%1 is in the last %2 days</source>
        <translation>%1 is in the last %2 days</translation>
    </message>
    <message>
        <source>%1 is from %2 to %3</source>
        <translation>%1 is from %2 to %3</translation>
    </message>
    <message>
        <source> (every year)</source>
        <translation> (every year)</translation>
    </message>
</context>
<context>
    <name>SegmentDialog</name>
    <message>
        <source>New segment</source>
        <translation>New segment</translation>
    </message>
    <message>
        <source>e.g. Moscow, delivered, not clicked</source>
        <translation>e.g. Moscow, delivered, not clicked</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>every condition holds</source>
        <translation>every condition holds</translation>
    </message>
    <message>
        <source>any condition holds</source>
        <translation>any condition holds</translation>
    </message>
    <message>
        <source>Contacts for whom:</source>
        <translation>Contacts for whom:</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Add condition</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Fill in at least one condition.</source>
        <translation>Fill in at least one condition.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>Give the segment a name.</source>
        <translation>Give the segment a name.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Demo mode: the program talks to its built-in simulator. Changes made here apply when you start the program normally.</source>
        <translation>Demo mode: the program talks to its built-in simulator. Changes made here apply when you start the program normally.</translation>
    </message>
    <message>
        <source>Kupon.mobi platform</source>
        <translation>Kupon.mobi platform</translation>
    </message>
    <message>
        <source>API address:</source>
        <translation>API address:</translation>
    </message>
    <message>
        <source>paste the token from your account</source>
        <translation>paste the token from your account</translation>
    </message>
    <message>
        <source>Kept in the system&apos;s credential store, never in a file.</source>
        <translation>Kept in the system&apos;s credential store, never in a file.</translation>
    </message>
    <message>
        <source>No credential store is available: the token is kept only until the program closes.</source>
        <translation>No credential store is available: the token is kept only until the program closes.</translation>
    </message>
    <message>
        <source>Show token</source>
        <translation>Show token</translation>
    </message>
    <message>
        <source>API token:</source>
        <translation>API token:</translation>
    </message>
    <message>
        <source>Delivery statuses</source>
        <translation>Delivery statuses</translation>
    </message>
    <message>
        <source>The platform reports each message&apos;s status by calling an address. If this computer can be reached from the internet, leave the address empty and the built-in receiver listens on the port below; otherwise run &quot;kupon-desktop receiver&quot; on a server and enter its address here.</source>
        <translation>The platform reports each message&apos;s status by calling an address. If this computer can be reached from the internet, leave the address empty and the built-in receiver listens on the port below; otherwise run &quot;kupon-desktop receiver&quot; on a server and enter its address here.</translation>
    </message>
    <message>
        <source>Receiver address:</source>
        <translation>Receiver address:</translation>
    </message>
    <message>
        <source>With a server receiver: the key of its event feed, which this window polls for statuses. Kept in the credential store.</source>
        <translation>With a server receiver: the key of its event feed, which this window polls for statuses. Kept in the credential store.</translation>
    </message>
    <message>
        <source>Feed key:</source>
        <translation>Feed key:</translation>
    </message>
    <message>
        <source>Receiver port:</source>
        <translation>Receiver port:</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>Team server</translation>
    </message>
    <message>
        <source>A team shares one stop list, sees each other&apos;s campaigns and statuses, and may need an approver&apos;s approval before sending. Leave the address empty to work alone.</source>
        <translation>A team shares one stop list, sees each other&apos;s campaigns and statuses, and may need an approver&apos;s approval before sending. Leave the address empty to work alone.</translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation>Server address:</translation>
    </message>
    <message>
        <source>Your user key from the server&apos;s administrator. Kept in the credential store.</source>
        <translation>Your user key from the server&apos;s administrator. Kept in the credential store.</translation>
    </message>
    <message>
        <source>No credential store is available: the key is kept only until the program closes.</source>
        <translation>No credential store is available: the key is kept only until the program closes.</translation>
    </message>
    <message>
        <source>User key:</source>
        <translation>User key:</translation>
    </message>
    <message>
        <source>Nothing is sent when the team&apos;s stop list could not be refreshed for longer than this many seconds.</source>
        <translation>Nothing is sent when the team&apos;s stop list could not be refreshed for longer than this many seconds.</translation>
    </message>
    <message>
        <source>Stop list freshness, s:</source>
        <translation>Stop list freshness, s:</translation>
    </message>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Country for phone numbers written without a country code (RU, KZ, BY…).</source>
        <translation>Country for phone numbers written without a country code (RU, KZ, BY…).</translation>
    </message>
    <message>
        <source>Phone region:</source>
        <translation>Phone region:</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>As the system</translation>
    </message>
    <message>
        <source>Takes effect when the program restarts.</source>
        <translation>Takes effect when the program restarts.</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Language:</translation>
    </message>
    <message>
        <source>Audience rules</source>
        <translation>Audience rules</translation>
    </message>
    <message>
        <source>When messages may arrive in the recipient&apos;s own time, e.g. 09:00-22:00; &quot;off&quot; for any time.</source>
        <translation>When messages may arrive in the recipient&apos;s own time, e.g. 09:00-22:00; &quot;off&quot; for any time.</translation>
    </message>
    <message>
        <source>Send window:</source>
        <translation>Send window:</translation>
    </message>
    <message>
        <source>For recipients whose list and number say nothing (Europe/Moscow, UTC+5, Новосибирск…).</source>
        <translation>For recipients whose list and number say nothing (Europe/Moscow, UTC+5, Новосибирск…).</translation>
    </message>
    <message>
        <source>Default time zone:</source>
        <translation>Default time zone:</translation>
    </message>
    <message>
        <source>Prices, RUB:</source>
        <translation>Prices, RUB:</translation>
    </message>
    <message>
        <source>Per SMS segment, per message for the other channels. The platform publishes no price list: enter your tariff; the defaults are examples.</source>
        <translation>Per SMS segment, per message for the other channels. The platform publishes no price list: enter your tariff; the defaults are examples.</translation>
    </message>
    <message>
        <source>A new campaign (or a whole A/B test) pauses before its estimated spend would pass this; empty for no cap. Each campaign can change it.</source>
        <translation>A new campaign (or a whole A/B test) pauses before its estimated spend would pass this; empty for no cap. Each campaign can change it.</translation>
    </message>
    <message>
        <source>Spend cap, RUB:</source>
        <translation>Spend cap, RUB:</translation>
    </message>
</context>
<context>
    <name>SpendCapField</name>
    <message>
        <source>no cap</source>
        <translation>no cap</translation>
    </message>
    <message>
        <source>Sending pauses before the estimated spend would pass this amount; the rest stays queued. The default is set in Settings.</source>
        <translation>Sending pauses before the estimated spend would pass this amount; the rest stays queued. The default is set in Settings.</translation>
    </message>
</context>
<context>
    <name>StatusChart</name>
    <message>
        <source>Delivered</source>
        <extracomment>the session&apos;s count groups (``campaign.counts.Group``), bottom to top; spelled out here rather than imported from ``campaign.timeline``, which loads numpy at start-up</extracomment>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Read / clicked</source>
        <translation>Read / clicked</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Unconfirmed</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>The chart fills in as statuses arrive</source>
        <extracomment>(seconds since the epoch, counts per group)</extracomment>
        <translation>The chart fills in as statuses arrive</translation>
    </message>
</context>
<context>
    <name>StopListPage</name>
    <message>
        <source>Stop list</source>
        <extracomment>(title, message) of a refusal the user should read</extracomment>
        <translation>Stop list</translation>
    </message>
    <message>
        <source>Numbers and addresses that never receive a message: people who refused, wrong numbers, blocked directions. Every campaign leaves them out, even one already running.</source>
        <translation>Numbers and addresses that never receive a message: people who refused, wrong numbers, blocked directions. Every campaign leaves them out, even one already running.</translation>
    </message>
    <message>
        <source>phone or e-mail, written any way</source>
        <translation>phone or e-mail, written any way</translation>
    </message>
    <message>
        <source>note (why)</source>
        <translation>note (why)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <extracomment>the team server&apos;s desk (None: this desk works alone), asked at each use: Settings may change it</extracomment>
        <translation>Remove selected</translation>
    </message>
    <message>
        <source>Import from file…</source>
        <translation>Import from file…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>phone</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Added</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>%1 entries</translation>
    </message>
    <message>
        <source>«%1» is neither a phone number nor an e-mail address.</source>
        <translation>«%1» is neither a phone number nor an e-mail address.</translation>
    </message>
    <message>
        <source>The team&apos;s shared stop list could not be synchronised: %1 What you add here goes to the team server at the next connection; no campaign is sent while the copy here is older than Settings allow.</source>
        <translation>The team&apos;s shared stop list could not be synchronised: %1 What you add here goes to the team server at the next connection; no campaign is sent while the copy here is older than Settings allow.</translation>
    </message>
    <message>
        <source>Shared with the team through its server: what is added here reaches every desk. Synchronised at %1.</source>
        <translation>Shared with the team through its server: what is added here reaches every desk. Synchronised at %1.</translation>
    </message>
    <message>
        <source>Import a stop list</source>
        <translation>Import a stop list</translation>
    </message>
    <message>
        <source>%1 added from %2</source>
        <translation>%1 added from %2</translation>
    </message>
    <message>
        <source>Export the stop list</source>
        <translation>Export the stop list</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>stop-list.xlsx</source>
        <comment>default file name</comment>
        <translation>stop-list.xlsx</translation>
    </message>
</context>
<context>
    <name>Ucs2Bar</name>
    <message>
        <source>%1 part(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 part(s), %2 a message</source>
        <translation>%1 part(s), %2 a message</translation>
    </message>
    <message>
        <source>UCS-2 because of %1: %2. Plain quotes and dashes: %3; in Latin letters: %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace (%1 → %2 parts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace quotes, dashes and № (%1 part(s))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also ё → е (%1 part(s))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transliterate into Latin letters (%1 part(s))</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VariantColumn</name>
    <message>
        <source>Sent</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>Clicked</source>
        <translation>Clicked</translation>
    </message>
    <message>
        <source>Send %1 to the rest</source>
        <translation>Send %1 to the rest</translation>
    </message>
    <message>
        <source>Variant %1</source>
        <translation>Variant %1</translation>
    </message>
</context>
<context>
    <name>VariantEditor</name>
    <message>
        <source>Variant %1</source>
        <extracomment>the shortest decision time offered: at once (a demo, a quick look; statuses still on their way then count as not delivered); an hour is the default</extracomment>
        <translation>Variant %1</translation>
    </message>
    <message>
        <source>sender (empty: as variant A)</source>
        <translation>sender (empty: as variant A)</translation>
    </message>
    <message>
        <source>Remove variant %1</source>
        <translation>Remove variant %1</translation>
    </message>
    <message>
        <source>The text of variant %1</source>
        <translation>The text of variant %1</translation>
    </message>
</context>
</TS>
