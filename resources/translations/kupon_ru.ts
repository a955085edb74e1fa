<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>CampaignPage</name>
    <message>
        <source>Campaign</source>
        <translation>Рассылка</translation>
    </message>
    <message>
        <source>Statuses arrive here as the platform reports them: filter, search, resend and export.</source>
        <translation>Статусы появляются здесь по мере того, как их сообщает платформа: фильтруйте, ищите, отправляйте повторно и выгружайте.</translation>
    </message>
    <message>
        <source>No campaign is running. Compose a message and press Send.</source>
        <translation>Рассылок пока нет. Составьте сообщение и нажмите «Отправить».</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <source>Import the list you already have: Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. Phones are recognised however they are written.</source>
        <translation>Загрузите список, который у вас уже есть: Excel (.xlsx, .xls), OpenDocument (.ods) или CSV. Телефоны распознаются в любой записи.</translation>
    </message>
    <message>
        <source>Import contacts…</source>
        <translation>Загрузить контакты…</translation>
    </message>
    <message>
        <source>No contacts yet.
Drop a file here or press Ctrl+O to import one.</source>
        <translation>Контактов пока нет.
Перетащите файл сюда или нажмите Ctrl+O, чтобы загрузить его.</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>Непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Something went wrong inside Kupon Desktop. Your data is safe: the campaign log is kept on disk. You can keep working; if this repeats, send the details below to support.</source>
        <translation>В Kupon Desktop произошла ошибка. Ваши данные в безопасности: журнал рассылок хранится на диске. Можно продолжать работу; если ошибка повторится, отправьте подробности ниже в поддержку.</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Копировать подробности</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Every campaign sent from this computer, with its counts. Open one to see its recipients.</source>
        <translation>Все рассылки, отправленные с этого компьютера, с итогами. Откройте рассылку, чтобы увидеть получателей.</translation>
    </message>
    <message>
        <source>No campaigns yet.</source>
        <translation>Рассылок пока нет.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — demo</source>
        <translation> — демо</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Campaign</source>
        <translation>Рассылка</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Import contacts…</source>
        <translation>&amp;Загрузить контакты…</translation>
    </message>
    <message>
        <source>&amp;Export results…</source>
        <translation>&amp;Выгрузить результаты…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Правка</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Повторить</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>&amp;Вырезать</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Копировать</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>Вст&amp;авить</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>Выделить &amp;всё</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Contacts</source>
        <translation>&amp;Контакты</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Сообщение</translation>
    </message>
    <message>
        <source>C&amp;ampaign</source>
        <translation>&amp;Рассылка</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;История</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;About Kupon Desktop</source>
        <translation>&amp;О программе Kupon Desktop</translation>
    </message>
    <message>
        <source>Demo platform (simulator at %1): nothing leaves this computer</source>
        <translation>Демо-платформа (симулятор на %1): ничего не покидает этот компьютер</translation>
    </message>
    <message>
        <source>Platform: %1</source>
        <translation>Платформа: %1</translation>
    </message>
    <message>
        <source>Demo token</source>
        <translation>Демо-токен</translation>
    </message>
    <message>
        <source>Token set</source>
        <translation>Токен задан</translation>
    </message>
    <message>
        <source>No token: File → Settings</source>
        <translation>Нет токена: Файл → Настройки</translation>
    </message>
    <message>
        <source>Contact import arrives in the next version.</source>
        <translation>Загрузка контактов появится в следующей версии.</translation>
    </message>
    <message>
        <source>The new language takes effect when you restart the program.</source>
        <translation>Новый язык вступит в силу после перезапуска программы.</translation>
    </message>
    <message>
        <source>About Kupon Desktop</source>
        <translation>О программе Kupon Desktop</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Kupon Desktop %1&lt;/h3&gt;&lt;p&gt;Campaign manager for the Kupon.mobi messaging platform: import a list, compose, send, and watch every recipient&apos;s status.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Kupon Desktop %1&lt;/h3&gt;&lt;p&gt;Менеджер рассылок для платформы Kupon.mobi: загрузите список, составьте сообщение, отправьте и следите за статусом каждого получателя.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Choose the channel, write the text with {placeholders} from your list, and check it before sending.</source>
        <translation>Выберите канал, напишите текст с {подстановками} из вашего списка и проверьте его перед отправкой.</translation>
    </message>
    <message>
        <source>Import contacts first, then compose the message here.</source>
        <translation>Сначала загрузите контакты, затем составьте сообщение здесь.</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>enter a full address that starts with https:// (or http://)</source>
        <translation>введите полный адрес, начинающийся с https:// (или http://)</translation>
    </message>
    <message>
        <source>an address cannot contain spaces</source>
        <translation>в адресе не может быть пробелов</translation>
    </message>
    <message>
        <source>the port in this address is not a number from 1 to 65535</source>
        <translation>порт в этом адресе — не число от 1 до 65535</translation>
    </message>
    <message>
        <source>a port is a whole number from 1 to 65535</source>
        <translation>порт — целое число от 1 до 65535</translation>
    </message>
    <message>
        <source>a two-letter country code such as RU, KZ or BY</source>
        <translation>двухбуквенный код страны, например RU, KZ или BY</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Demo mode: the program talks to its built-in simulator. Changes made here apply when you start the program normally.</source>
        <translation>Демо-режим: программа работает со встроенным симулятором. Изменения вступят в силу при обычном запуске программы.</translation>
    </message>
    <message>
        <source>Kupon.mobi platform</source>
        <translation>Платформа Kupon.mobi</translation>
    </message>
    <message>
        <source>API address:</source>
        <translation>Адрес API:</translation>
    </message>
    <message>
        <source>paste the token from your account</source>
        <translation>вставьте токен из личного кабинета</translation>
    </message>
    <message>
        <source>Kept in the system&apos;s credential store, never in a file.</source>
        <translation>Хранится в системном хранилище паролей, никогда — в файле.</translation>
    </message>
    <message>
        <source>No credential store is available: the token is kept only until the program closes.</source>
        <translation>Хранилище паролей недоступно: токен хранится только до закрытия программы.</translation>
    </message>
    <message>
        <source>Show token</source>
        <translation>Показать токен</translation>
    </message>
    <message>
        <source>API token:</source>
        <translation>API-токен:</translation>
    </message>
    <message>
        <source>Delivery statuses</source>
        <translation>Статусы доставки</translation>
    </message>
    <message>
        <source>The platform reports each message&apos;s status by calling an address. If this computer can be reached from the internet, leave the address empty and the built-in receiver listens on the port below; otherwise run &quot;kupon-desktop receiver&quot; on a server and enter its address here.</source>
        <translation>Платформа сообщает статус каждого сообщения, обращаясь по адресу. Если этот компьютер доступен из интернета, оставьте адрес пустым — встроенный приёмник слушает порт ниже; иначе запустите «kupon-desktop receiver» на сервере и укажите здесь его адрес.</translation>
    </message>
    <message>
        <source>Receiver address:</source>
        <translation>Адрес приёмника:</translation>
    </message>
    <message>
        <source>Receiver port:</source>
        <translation>Порт приёмника:</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <source>Country for phone numbers written without a country code (RU, KZ, BY…).</source>
        <translation>Страна для номеров, записанных без кода страны (RU, KZ, BY…).</translation>
    </message>
    <message>
        <source>Phone region:</source>
        <translation>Регион телефонов:</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Takes effect when the program restarts.</source>
        <translation>Вступит в силу после перезапуска программы.</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Язык:</translation>
    </message>
</context>
</TS>
