<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CampaignPage</name>
    <message>
        <source>Campaign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Statuses arrive here as the platform reports them: filter, search, resend and export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No campaign is running. Compose a message and press Send.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import the list you already have: Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. Phones are recognised however they are written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import contacts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contacts yet.
Drop a file here or press Ctrl+O to import one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something went wrong inside Kupon Desktop. Your data is safe: the campaign log is kept on disk. You can keep working; if this repeats, send the details below to support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every campaign sent from this computer, with its counts. Open one to see its recipients.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No campaigns yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import contacts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export results…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ampaign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Kupon Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo platform (simulator at %1): nothing leaves this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Platform: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No token: File → Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact import arrives in the next version.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language takes effect when you restart the program.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Kupon Desktop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kupon Desktop %1&lt;/h3&gt;&lt;p&gt;Campaign manager for the Kupon.mobi messaging platform: import a list, compose, send, and watch every recipient&apos;s status.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the channel, write the text with {placeholders} from your list, and check it before sending.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import contacts first, then compose the message here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>enter a full address that starts with https:// (or http://)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an address cannot contain spaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the port in this address is not a number from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a port is a whole number from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a two-letter country code such as RU, KZ or BY</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo mode: the program talks to its built-in simulator. Changes made here apply when you start the program normally.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kupon.mobi platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>paste the token from your account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept in the system&apos;s credential store, never in a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No credential store is available: the token is kept only until the program closes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivery statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The platform reports each message&apos;s status by calling an address. If this computer can be reached from the internet, leave the address empty and the built-in receiver listens on the port below; otherwise run &quot;kupon-desktop receiver&quot; on a server and enter its address here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiver address:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiver port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Country for phone numbers written without a country code (RU, KZ, BY…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone region:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Takes effect when the program restarts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
