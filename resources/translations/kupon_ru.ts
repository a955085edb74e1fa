<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ABPanel</name>
    <message>
        <source>A/B test</source>
        <extracomment>(group, variant name): the user picks the winner</extracomment>
        <translation>A/B-тест</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>доставлено</translation>
    </message>
    <message>
        <source>read</source>
        <translation>прочитано</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>переходы по ссылке</translation>
    </message>
    <message>
        <source>winner</source>
        <translation>победитель</translation>
    </message>
    <message>
        <source>leads</source>
        <translation>лидирует</translation>
    </message>
    <message>
        <source>Winner metric: %1 (share of the messages sent)</source>
        <translation>Критерий победы: %1 (доля от отправленных)</translation>
    </message>
    <message>
        <source>Confidence of the difference %1 vs %2: %3</source>
        <translation>Достоверность разницы %1 и %2: %3</translation>
    </message>
    <message>
        <source>significant</source>
        <translation>значима</translation>
    </message>
    <message>
        <source>not significant yet</source>
        <translation>пока не значима</translation>
    </message>
    <message>
        <source>Testing: the variants are being sent to %1 % of the list</source>
        <translation>Тест: варианты отправляются %1 % списка</translation>
    </message>
    <message>
        <source>Testing: the winner is chosen in %1</source>
        <translation>Тест: победитель будет выбран через %1</translation>
    </message>
    <message>
        <source>Choosing the winner…</source>
        <translation>Выбор победителя…</translation>
    </message>
    <message>
        <source>Waiting for your choice: pick the variant the rest of the list gets</source>
        <translation>Ждём вашего выбора: выберите вариант для остальной части списка</translation>
    </message>
    <message>
        <source>Variant %1 won: sending it to the rest (%2 of %3)</source>
        <translation>Победил вариант %1: отправляется остальным (%2 из %3)</translation>
    </message>
    <message>
        <source>Done: variant %1 won and was sent to the rest (%2)</source>
        <translation>Готово: победил вариант %1, он отправлен остальным (%2)</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Being created</source>
        <translation>Создаётся</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
</context>
<context>
    <name>ABSection</name>
    <message>
        <source>A/B test</source>
        <translation>A/B-тест</translation>
    </message>
    <message>
        <source>Variant A is the text above. A share of the list gets each variant; when the decision time comes, the rest gets the winner.</source>
        <extracomment>the price of one SMS part, for the variants&apos; UCS-2 guard</extracomment>
        <translation>Вариант A — текст выше. Часть списка получает каждый вариант; когда придёт время решения, остальные получат победителя.</translation>
    </message>
    <message>
        <source>Add variant</source>
        <translation>Добавить вариант</translation>
    </message>
    <message>
        <source>Split evenly among the variants, at random</source>
        <translation>Делится поровну между вариантами, случайно</translation>
    </message>
    <message>
        <source>Test share:</source>
        <translation>Доля теста:</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>доставлено</translation>
    </message>
    <message>
        <source>read</source>
        <translation>прочитано</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>переходы по ссылке</translation>
    </message>
    <message>
        <source>Winner by:</source>
        <translation>Победитель по:</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>сразу</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>ч</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>мин</translation>
    </message>
    <message>
        <source>Decide after:</source>
        <translation>Решение через:</translation>
    </message>
    <message>
        <source>send the winner automatically</source>
        <translation>отправить победителя автоматически</translation>
    </message>
    <message>
        <source>wait for my choice</source>
        <translation>ждать моего выбора</translation>
    </message>
    <message>
        <source>Then:</source>
        <translation>Затем:</translation>
    </message>
    <message>
        <source>Demo: the simulator delivers and opens texts containing «%1» more often, so the variant with that word wins.</source>
        <translation>Демо: симулятор чаще доставляет и открывает тексты со словом «%1», поэтому вариант с этим словом побеждает.</translation>
    </message>
    <message>
        <source>Variant %1: </source>
        <translation>Вариант %1: </translation>
    </message>
</context>
<context>
    <name>AnalyticsPage</name>
    <message>
        <source>Analytics</source>
        <translation>Аналитика</translation>
    </message>
    <message>
        <source>How campaigns did: sent, delivered, read, clicked and the cost, per channel, per list or segment, per period.</source>
        <translation>Итоги рассылок: отправлено, доставлено, прочитано, переходы и стоимость — по каналам, спискам и сегментам, периодам.</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>Группировать:</translation>
    </message>
    <message>
        <source>channel</source>
        <translation>каналу</translation>
    </message>
    <message>
        <source>list, segment or file</source>
        <translation>списку, сегменту или файлу</translation>
    </message>
    <message>
        <source>day</source>
        <translation>дню</translation>
    </message>
    <message>
        <source>week</source>
        <translation>неделе</translation>
    </message>
    <message>
        <source>month</source>
        <translation>месяцу</translation>
    </message>
    <message>
        <source>campaign</source>
        <translation>рассылке</translation>
    </message>
    <message>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <source>to</source>
        <translation>по</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Export XLSX…</source>
        <translation>Выгрузить XLSX…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Рассылок</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Получателей</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Отправлено</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Прочитано</translation>
    </message>
    <message>
        <source>Clicked</source>
        <translation>Переходов</translation>
    </message>
    <message>
        <source>Delivered %</source>
        <translation>Доставлено, %</translation>
    </message>
    <message>
        <source>Read %</source>
        <translation>Прочитано, %</translation>
    </message>
    <message>
        <source>Clicked %</source>
        <translation>Переходов, %</translation>
    </message>
    <message>
        <source>Cost, RUB</source>
        <translation>Стоимость, ₽</translation>
    </message>
    <message>
        <source>%1 group(s), %2 campaign(s), cost %3 RUB</source>
        <translation>групп: %1, рассылок: %2, стоимость %3 ₽</translation>
    </message>
    <message>
        <source>list</source>
        <translation>список</translation>
    </message>
    <message>
        <source>segment</source>
        <translation>сегмент</translation>
    </message>
    <message>
        <source>file</source>
        <translation>файл</translation>
    </message>
    <message>
        <source>All campaigns</source>
        <translation>Все рассылки</translation>
    </message>
    <message>
        <source>Export analytics</source>
        <translation>Выгрузка аналитики</translation>
    </message>
    <message>
        <source>analytics.xlsx</source>
        <comment>default file name</comment>
        <translation>аналитика.xlsx</translation>
    </message>
    <message>
        <source>Analytics exported to %1</source>
        <translation>Аналитика выгружена в %1</translation>
    </message>
</context>
<context>
    <name>AudiencePicker</name>
    <message>
        <source>Send to:</source>
        <extracomment>(kind, name): the user picked another audience</extracomment>
        <translation>Кому:</translation>
    </message>
    <message>
        <source>the file on the Contacts page</source>
        <translation>файл со страницы «Контакты»</translation>
    </message>
    <message>
        <source>a list of the base</source>
        <translation>список из базы</translation>
    </message>
    <message>
        <source>a segment of the base</source>
        <translation>сегмент из базы</translation>
    </message>
    <message>
        <source>No lists yet: import a file on the Base page.</source>
        <translation>Списков пока нет: загрузите файл на странице «База».</translation>
    </message>
    <message>
        <source>No segments yet: make one on the Base page.</source>
        <translation>Сегментов пока нет: создайте на странице «База».</translation>
    </message>
</context>
<context>
    <name>BaseHub</name>
    <message>
        <source>Base</source>
        <extracomment>a message for the status bar (frames like an import&apos;s: contacts, fields, field_names) the picked list or segment read for the Message page&apos;s preview; None when the file is picked again the picked list or segment as the session plans with it, read at the last Check or Send (None: the file is picked, or nothing read yet) the last dialog opened (tests answer it)</extracomment>
        <translation>База</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Получатели</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Читаю…</translation>
    </message>
    <message>
        <source>%1 contact(s), read %2</source>
        <translation>контактов: %1, прочитано в %2</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>отправлено</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>доставлено</translation>
    </message>
    <message>
        <source>read</source>
        <translation>прочитано</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>перешли</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>не доставлено</translation>
    </message>
    <message>
        <source>Save as list</source>
        <translation>Сохранить как список</translation>
    </message>
    <message>
        <source>Save as segment</source>
        <translation>Сохранить как сегмент</translation>
    </message>
    <message>
        <source>Name of the list of who %1:</source>
        <translation>Имя списка тех, кто: %1</translation>
    </message>
    <message>
        <source>Name of the segment of who %1:</source>
        <translation>Имя сегмента тех, кто: %1</translation>
    </message>
    <message>
        <source>List «%1»: %2 contact(s); %3 new in the base</source>
        <translation>Список «%1»: контактов %2; новых в базе %3</translation>
    </message>
    <message>
        <source>Segment «%1»: %2 contact(s); %3 new in the base</source>
        <translation>Сегмент «%1»: контактов %2; новых в базе %3</translation>
    </message>
</context>
<context>
    <name>CampaignPage</name>
    <message>
        <source>Campaign</source>
        <extracomment>(campaign id, keys) (campaign id, keys, MessageType) (campaign id, path) (campaign id) add the wrong recipients and the blocked (22, 23) to the stop list (campaign id, group, &quot;list&quot; or &quot;segment&quot;): save a group of recipients in the base (group: sent, delivered, read, clicked, undelivered) (A/B group, variant name): the user&apos;s pick of the winner</extracomment>
        <translation>Рассылка</translation>
    </message>
    <message>
        <source>Statuses arrive here as the platform reports them: filter, search, resend and export.</source>
        <translation>Статусы появляются здесь по мере того, как их сообщает платформа: фильтруйте, ищите, отправляйте повторно и выгружайте.</translation>
    </message>
    <message>
        <source>No campaign is open. Compose a message and press Send, or open one from History.</source>
        <extracomment>the file the open campaign&apos;s list came from (&quot;Export into my file&quot; offers it) recipients still waiting for a final status (the session&apos;s counts)</extracomment>
        <translation>Рассылка не открыта. Составьте сообщение и нажмите «Отправить» или откройте рассылку из истории.</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Пауза</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>Cancel campaign</source>
        <translation>Отменить рассылку</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Выгрузить…</translation>
    </message>
    <message>
        <source>Export into my file…</source>
        <translation>Выгрузить в мой файл…</translation>
    </message>
    <message>
        <source>Wrong numbers to stop list…</source>
        <translation>Неверные номера — в стоп-лист…</translation>
    </message>
    <message>
        <source>Add every recipient whose final status was &quot;wrong recipient&quot; (22) or &quot;blocked by a filter&quot; (23) to the stop list</source>
        <translation>Добавить в стоп-лист всех получателей с итоговым статусом «неверный получатель» (22) или «заблокировано фильтром» (23)</translation>
    </message>
    <message>
        <source>Save as list or segment</source>
        <translation>В список или сегмент</translation>
    </message>
    <message>
        <source>Save who clicked, read, got or did not get this campaign in the base</source>
        <translation>Сохранить в базе тех, кто перешёл, прочитал, получил или не получил эту рассылку</translation>
    </message>
    <message>
        <source>Search by number, address or name</source>
        <translation>Поиск по номеру, адресу или имени</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <source>Campaign: %1</source>
        <translation>Рассылка: %1</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Все</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>В ожидании</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>Read / clicked</source>
        <translation>Прочитано / переход</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Не доставлено</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Не подтверждено</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Не отправлено</translation>
    </message>
    <message>
        <source>%1 of %2 sent</source>
        <translation>Отправлено %1 из %2</translation>
    </message>
    <message>
        <source>%1 not sent</source>
        <translation>не отправлено: %1</translation>
    </message>
    <message>
        <source>accepted %1</source>
        <translation>принято %1</translation>
    </message>
    <message>
        <source>rejected %1</source>
        <translation>отклонено %1</translation>
    </message>
    <message>
        <source>unconfirmed %1</source>
        <translation>не подтверждено %1</translation>
    </message>
    <message>
        <source>remaining %1</source>
        <translation>осталось %1</translation>
    </message>
    <message>
        <source>%1 msg/s</source>
        <translation>%1 сообщ./с</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>осталось около %1</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 ч %2 мин</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 мин %2 с</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Идёт отправка…</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Приостановлено</translation>
    </message>
    <message>
        <source>Interrupted: press Resume to continue</source>
        <translation>Прервано: нажмите «Продолжить», чтобы отправить остальное</translation>
    </message>
    <message>
        <source>All sent; every status has arrived</source>
        <translation>Всё отправлено; все статусы получены</translation>
    </message>
    <message>
        <source>All sent; statuses keep arriving</source>
        <translation>Всё отправлено; статусы продолжают поступать</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>The A/B test waits for your choice of the winner</source>
        <translation>A/B-тест ждёт вашего выбора победителя</translation>
    </message>
    <message>
        <source>Resend (%1)</source>
        <translation>Отправить повторно (%1)</translation>
    </message>
    <message>
        <source>Resend through another channel</source>
        <translation>Отправить повторно через другой канал</translation>
    </message>
    <message>
        <source>Skip (do not send)</source>
        <translation>Пропустить (не отправлять)</translation>
    </message>
    <message>
        <source>Who clicked</source>
        <translation>Кто перешёл по ссылке</translation>
    </message>
    <message>
        <source>Who read</source>
        <translation>Кто прочитал</translation>
    </message>
    <message>
        <source>Who got it (delivered)</source>
        <translation>Кому доставлено</translation>
    </message>
    <message>
        <source>Undelivered</source>
        <translation>Недоставленные</translation>
    </message>
    <message>
        <source>Everyone sent</source>
        <translation>Всем отправленным</translation>
    </message>
    <message>
        <source>Save as list…</source>
        <translation>Сохранить как список…</translation>
    </message>
    <message>
        <source>Save as segment…</source>
        <translation>Сохранить как сегмент…</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Выгрузка результатов</translation>
    </message>
    <message>
        <source>Choose the workbook to fill with the results</source>
        <translation>Выберите книгу Excel, в которую вписать результаты</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV table (*.csv)</source>
        <translation>Книга Excel (*.xlsx);;Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx *.xlsm)</source>
        <translation>Книга Excel (*.xlsx *.xlsm)</translation>
    </message>
</context>
<context>
    <name>ConditionRow</name>
    <message>
        <source>not</source>
        <extracomment>the kinds of condition, in the order the combo lists them a date field&apos;s ranges (the segment grammar&apos;s), in the order the combo lists them</extracomment>
        <translation>не</translation>
    </message>
    <message>
        <source>Contacts for whom this condition does not hold</source>
        <translation>Контакты, для которых это условие не выполняется</translation>
    </message>
    <message>
        <source>Field equals</source>
        <translation>Поле равно</translation>
    </message>
    <message>
        <source>Field contains</source>
        <translation>Поле содержит</translation>
    </message>
    <message>
        <source>Field is empty</source>
        <translation>Поле пустое</translation>
    </message>
    <message>
        <source>Field is a date</source>
        <translation>Поле — дата</translation>
    </message>
    <message>
        <source>In list</source>
        <translation>В списке</translation>
    </message>
    <message>
        <source>Has tag</source>
        <translation>С меткой</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>Согласие дано</translation>
    </message>
    <message>
        <source>Consent withdrawn</source>
        <translation>Согласие отозвано</translation>
    </message>
    <message>
        <source>Outcome in campaign</source>
        <translation>Итог в рассылке</translation>
    </message>
    <message>
        <source>Outcome in the last days</source>
        <translation>Итог за последние дни</translation>
    </message>
    <message>
        <source>value</source>
        <translation>значение</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>отправлено</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>доставлено</translation>
    </message>
    <message>
        <source>read</source>
        <translation>прочитано</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>перешли</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>не доставлено</translation>
    </message>
    <message>
        <source>today</source>
        <translation>сегодня</translation>
    </message>
    <message>
        <source>this week</source>
        <translation>на этой неделе</translation>
    </message>
    <message>
        <source>this month</source>
        <translation>в этом месяце</translation>
    </message>
    <message>
        <source>in the next days</source>
        <translation>в ближайшие дни</translation>
    </message>
    <message>
        <source>in the last days</source>
        <translation>за последние дни</translation>
    </message>
    <message>
        <source>every year</source>
        <translation>каждый год</translation>
    </message>
    <message>
        <source>Compare the day and month only, whatever the year: birthdays</source>
        <translation>Сравнивать только день и месяц, в любом году: дни рождения</translation>
    </message>
    <message>
        <source>the last campaign</source>
        <translation>последней рассылке</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation>Убрать условие</translation>
    </message>
</context>
<context>
    <name>ContactBasePage</name>
    <message>
        <source>Base</source>
        <extracomment>what a tree item stands for (Qt.UserRole): (&quot;all&quot;, &quot;&quot;), (&quot;list&quot;, name), (&quot;deleted&quot;, name), (&quot;segment&quot;, name) or (&quot;group&quot;, &quot;&quot;) lists or segments were created, renamed or deleted (the audience picker reloads) a message for the status bar</extracomment>
        <translation>База</translation>
    </message>
    <message>
        <source>Every contact you have imported, once per person: lists, segments and consent. Import a file into a list; a person already known is updated, not added twice.</source>
        <translation>Все загруженные контакты, по одному на человека: списки, сегменты и согласия. Загрузите файл в список: уже известный человек обновится, а не добавится второй раз.</translation>
    </message>
    <message>
        <source>New list…</source>
        <extracomment>the last dialog opened (tests answer it) which base this is, when it is the team&apos;s on a server</extracomment>
        <translation>Новый список…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Восстановить</translation>
    </message>
    <message>
        <source>New segment…</source>
        <translation>Новый сегмент…</translation>
    </message>
    <message>
        <source>Import into a list…</source>
        <translation>Загрузить в список…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Выгрузить…</translation>
    </message>
    <message>
        <source>Search by phone, e-mail or any field</source>
        <translation>Поиск по телефону, e-mail или любому полю</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>отозвано</translation>
    </message>
    <message>
        <source>Select a contact to see its card.</source>
        <translation>Выберите контакт, чтобы увидеть его карточку.</translation>
    </message>
    <message>
        <source>Withdraw consent</source>
        <translation>Отозвать согласие</translation>
    </message>
    <message>
        <source>No advertising to this person from now on, on any channel</source>
        <translation>С этого момента никакой рекламы этому человеку ни по одному каналу</translation>
    </message>
    <message>
        <source>Record consent…</source>
        <translation>Записать согласие…</translation>
    </message>
    <message>
        <source>Export consent proof…</source>
        <translation>Выгрузить доказательство согласия…</translation>
    </message>
    <message>
        <source>The team&apos;s base on the server %1: every desk of the team sees these lists, segments and consents, and a file imported here goes there.</source>
        <translation>База команды на сервере %1: эти списки, сегменты и согласия видят все компьютеры команды, и файл, загруженный здесь, попадает туда.</translation>
    </message>
    <message>
        <source>All contacts</source>
        <translation>Все контакты</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>Списки</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(удалён)</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Сегменты</translation>
    </message>
    <message>
        <source>The list «%1» is deleted: press Restore to see and use it again.</source>
        <translation>Список «%1» удалён: нажмите «Восстановить», чтобы снова видеть и использовать его.</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Читаю…</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Consent (phone)</source>
        <translation>Согласие (телефон)</translation>
    </message>
    <message>
        <source>Consent (e-mail)</source>
        <translation>Согласие (e-mail)</translation>
    </message>
    <message>
        <source>List «%1»</source>
        <translation>Список «%1»</translation>
    </message>
    <message>
        <source>Segment «%1»</source>
        <translation>Сегмент «%1»</translation>
    </message>
    <message>
        <source>%1 contact(s)</source>
        <translation>контактов: %1</translation>
    </message>
    <message>
        <source>found by the search</source>
        <translation>найдено поиском</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Добавлен</translation>
    </message>
    <message>
        <source>On the stop list: %1</source>
        <translation>В стоп-листе: %1</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Согласие</translation>
    </message>
    <message>
        <source>No consent recorded.</source>
        <translation>Согласие не записано.</translation>
    </message>
    <message>
        <source>given</source>
        <translation>дано</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>added to the base</source>
        <translation>добавлен в базу</translation>
    </message>
    <message>
        <source>file %1</source>
        <translation>файл %1</translation>
    </message>
    <message>
        <source>campaign %1</source>
        <translation>рассылка %1</translation>
    </message>
    <message>
        <source>typed</source>
        <translation>введено вручную</translation>
    </message>
    <message>
        <source>, row %1</source>
        <translation>, строка %1</translation>
    </message>
    <message>
        <source>withdrawn by the user</source>
        <translation>отозвано вручную</translation>
    </message>
    <message>
        <source>a reply</source>
        <translation>ответ получателя</translation>
    </message>
    <message>
        <source>stop list</source>
        <translation>стоп-лист</translation>
    </message>
    <message>
        <source>New list</source>
        <translation>Новый список</translation>
    </message>
    <message>
        <source>Name of the list:</source>
        <translation>Имя списка:</translation>
    </message>
    <message>
        <source>Rename list</source>
        <translation>Переименовать список</translation>
    </message>
    <message>
        <source>New name of «%1»:</source>
        <translation>Новое имя для «%1»:</translation>
    </message>
    <message>
        <source>Rename segment</source>
        <translation>Переименовать сегмент</translation>
    </message>
    <message>
        <source>List «%1» deleted: select it and press Restore to undo.</source>
        <translation>Список «%1» удалён: выберите его и нажмите «Восстановить», чтобы вернуть.</translation>
    </message>
    <message>
        <source>Segment «%1» deleted.</source>
        <translation>Сегмент «%1» удалён.</translation>
    </message>
    <message>
        <source>%1 contact(s) now</source>
        <translation>сейчас контактов: %1</translation>
    </message>
    <message>
        <source>Import contacts into the base</source>
        <translation>Загрузка контактов в базу</translation>
    </message>
    <message>
        <source>Import into a list</source>
        <translation>Загрузка в список</translation>
    </message>
    <message>
        <source>%1 goes into the list (pick one or type a new name):</source>
        <translation>%1 — в список (выберите или введите новое имя):</translation>
    </message>
    <message>
        <source>Importing %1…</source>
        <translation>Загружаю %1…</translation>
    </message>
    <message>
        <source>%1 → list «%2»: added %3, updated %4, unchanged %5, rejected %6.</source>
        <translation>%1 → список «%2»: добавлено %3, обновлено %4, без изменений %5, отклонено %6.</translation>
    </message>
    <message>
        <source>Import into the base</source>
        <translation>Загрузка в базу</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>строка %1</translation>
    </message>
    <message>
        <source>Export contacts</source>
        <translation>Выгрузка контактов</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Книга Excel (*.xlsx);;Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <source>contacts.xlsx</source>
        <comment>default file name</comment>
        <translation>контакты.xlsx</translation>
    </message>
    <message>
        <source>%1 contact(s) exported to %2</source>
        <translation>контактов выгружено: %1, файл %2</translation>
    </message>
    <message>
        <source>withdrawn in the Base page</source>
        <translation>отозвано на странице «База»</translation>
    </message>
    <message>
        <source>Consent of %1 withdrawn: no advertising from now on.</source>
        <translation>Согласие %1 отозвано: рекламы больше не будет.</translation>
    </message>
    <message>
        <source>Record consent</source>
        <translation>Записать согласие</translation>
    </message>
    <message>
        <source>What did the person agree to (the wording)?</source>
        <translation>На что человек согласился (формулировка)?</translation>
    </message>
    <message>
        <source>Export consent proof</source>
        <translation>Доказательство согласия</translation>
    </message>
    <message>
        <source>consent-%1.xlsx</source>
        <comment>default file name</comment>
        <translation>согласие-%1.xlsx</translation>
    </message>
    <message>
        <source>Consent proof written to %1: %2 consent event(s), %3 message(s)</source>
        <translation>Доказательство согласия записано в %1: событий согласия %2, сообщений %3</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>Contacts</source>
        <extracomment>(ImportResult, path) once a list has been imported</extracomment>
        <translation>Контакты</translation>
    </message>
    <message>
        <source>Import the list you already have: Excel (.xlsx, .xls), OpenDocument (.ods) or CSV. Phones are recognised however they are written.</source>
        <translation>Загрузите список, который у вас уже есть: Excel (.xlsx, .xls), OpenDocument (.ods) или CSV. Телефоны распознаются в любой записи.</translation>
    </message>
    <message>
        <source>Import contacts…</source>
        <extracomment>default phone region for numbers without a country code (from Settings)</extracomment>
        <translation>Загрузить контакты…</translation>
    </message>
    <message>
        <source>Export rejected rows…</source>
        <translation>Выгрузить отклонённые строки…</translation>
    </message>
    <message>
        <source>Search contacts</source>
        <translation>Поиск контактов</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>No contacts yet.
Drop a file here or press Ctrl+O to import one.</source>
        <translation>Контактов пока нет.
Перетащите файл сюда или нажмите Ctrl+O, чтобы загрузить его.</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Отклонено</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Дубликаты</translation>
    </message>
    <message>
        <source>Remarks</source>
        <translation>Замечания</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>Загрузка контактов</translation>
    </message>
    <message>
        <source>The list loaded before is kept.</source>
        <translation>Загруженный ранее список сохранён.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Чтение %1…</translation>
    </message>
    <message>
        <source>Showing the list…</source>
        <translation>Показываю список…</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Строка</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Push token</source>
        <translation>Push-токен</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Столбец</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>left out: the same phone, e-mail and token as row %1</source>
        <translation>не загружена: те же телефон, e-mail и токен, что в строке %1</translation>
    </message>
    <message>
        <source>kept: one message to this address, as row %1 has it too</source>
        <translation>загружена: на этот адрес уйдёт одно сообщение — он есть и в строке %1</translation>
    </message>
    <message>
        <source>Same as row</source>
        <translation>Совпадает со строкой</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>Что будет</translation>
    </message>
    <message>
        <source>%1; the row loaded by its other address</source>
        <translation>%1; строка загружена по другому адресу</translation>
    </message>
    <message>
        <source>Remark</source>
        <translation>Замечание</translation>
    </message>
    <message>
        <source>Import the other %1 address(es) in these cells as rows of their own</source>
        <translation>Загрузить остальные адреса из этих ячеек (%1) отдельными строками</translation>
    </message>
    <message>
        <source>Remarks (%1)</source>
        <translation>Замечания (%1)</translation>
    </message>
    <message>
        <source>Contacts (%1 of %2)</source>
        <translation>Контакты (%1 из %2)</translation>
    </message>
    <message>
        <source>Contacts (%1)</source>
        <translation>Контакты (%1)</translation>
    </message>
    <message>
        <source>Rejected (%1)</source>
        <translation>Отклонено (%1)</translation>
    </message>
    <message>
        <source>Duplicates (%1)</source>
        <translation>Дубликаты (%1)</translation>
    </message>
    <message>
        <source>%1: %2 rows read · %3 imported · %4 rejected · %5 duplicates · %6 blank rows skipped</source>
        <translation>%1: прочитано строк %2 · загружено %3 · отклонено %4 · дубликатов %5 · пустых строк пропущено %6</translation>
    </message>
    <message>
        <source>Export rejected rows</source>
        <translation>Выгрузка отклонённых строк</translation>
    </message>
    <message>
        <source>Could not write the file: %1</source>
        <translation>Не удалось записать файл: %1</translation>
    </message>
    <message>
        <source>Rejected rows saved to %1</source>
        <translation>Отклонённые строки сохранены в %1</translation>
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
    <name>Files</name>
    <message>
        <source>Tables (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)</source>
        <extracomment>rows measured to size a column to its contents the share of the progress bar the importer fills; the rest is the page showing the list</extracomment>
        <translation>Таблицы (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt)</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>History</source>
        <extracomment>how often the team&apos;s campaigns are asked again while History is on screen, ms campaign id to open in the Campaign page an approver approves a team campaign: (campaign id, what it is, in words) the team&apos;s campaigns are due to be asked again (History is on screen)</extracomment>
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
    <message>
        <source>Team campaigns</source>
        <translation>Рассылки команды</translation>
    </message>
    <message>
        <source>Approve…</source>
        <extracomment>the team table&apos;s campaign ids and approval states, in the frame&apos;s order this desk&apos;s user and role on the team server (&quot;&quot; until it answered)</extracomment>
        <translation>Одобрить…</translation>
    </message>
    <message>
        <source>Approve the selected campaign: its sender can then send it.</source>
        <translation>Одобрить выбранную рассылку: после этого её автор сможет её отправить.</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>В ожидании</translation>
    </message>
    <message>
        <source>Read / clicked</source>
        <translation>Прочитано / переход</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Не отправлено</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>черновик</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>отправляется</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>приостановлена</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>отменена</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>завершена</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>прервана</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Получателей</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Отправлено</translation>
    </message>
    <message>
        <source>sender</source>
        <translation>отправитель</translation>
    </message>
    <message>
        <source>approver</source>
        <translation>согласующий</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>наблюдатель</translation>
    </message>
    <message>
        <source>you are %1 (%2)</source>
        <translation>вы — %1 (%2)</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>не требуется</translation>
    </message>
    <message>
        <source>waiting for an approver</source>
        <translation>ждёт согласующего</translation>
    </message>
    <message>
        <source>approved by %1</source>
        <translation>одобрил(а) %1</translation>
    </message>
    <message>
        <source>«%1» by %2, %3 recipient(s)</source>
        <translation>«%1» (автор: %2, получателей: %3)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Пользователь</translation>
    </message>
    <message>
        <source>Computer</source>
        <translation>Компьютер</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>Одобрение</translation>
    </message>
    <message>
        <source>Statuses received</source>
        <translation>Получено статусов</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Не доставлено</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Не подтверждено</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>Opening the file</source>
        <translation>Открытие файла</translation>
    </message>
    <message>
        <source>Reading the file</source>
        <translation>Чтение файла</translation>
    </message>
    <message>
        <source>Checking phone numbers</source>
        <translation>Проверка номеров телефонов</translation>
    </message>
    <message>
        <source>Checking e-mail addresses</source>
        <translation>Проверка адресов e-mail</translation>
    </message>
    <message>
        <source>Looking for duplicates</source>
        <translation>Поиск дубликатов</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import %1</source>
        <translation>Загрузка %1</translation>
    </message>
    <message>
        <source>Check what was understood. The header row is highlighted; rows above it are skipped. Change the sheet, the header row or any column&apos;s role if needed.</source>
        <translation>Проверьте, что распознано. Строка заголовков выделена; строки над ней пропускаются. При необходимости измените лист, строку заголовков или назначение любого столбца.</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>Лист:</translation>
    </message>
    <message>
        <source>no header</source>
        <translation>без заголовков</translation>
    </message>
    <message>
        <source>Header row:</source>
        <translation>Строка заголовков:</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Push token</source>
        <translation>Push-токен</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Загрузить</translation>
    </message>
    <message>
        <source>encoding %1</source>
        <translation>кодировка %1</translation>
    </message>
    <message>
        <source>separator %1</source>
        <translation>разделитель %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(нет)</translation>
    </message>
</context>
<context>
    <name>LetterPreview</name>
    <message>
        <source>From:</source>
        <extracomment>characters of the subject line shown</extracomment>
        <translation>От:</translation>
    </message>
    <message>
        <source>(no sender)</source>
        <translation>(отправитель не указан)</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Тема:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source> — demo</source>
        <extracomment>the user closed the window (Quit): the program ends</extracomment>
        <translation> — демо</translation>
    </message>
    <message>
        <source>Contacts</source>
        <extracomment>Cancel or Quit paused the engine: its &quot;paused&quot; is not a notice of its own the team&apos;s campaigns being asked (History&apos;s timer waits for it)</extracomment>
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
        <source>Stop list</source>
        <translation>Стоп-лист</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>База</translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation>Аналитика</translation>
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
        <source>Import into the &amp;base…</source>
        <translation>Загрузить в &amp;базу…</translation>
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
        <source>&amp;Stop list</source>
        <translation>С&amp;топ-лист</translation>
    </message>
    <message>
        <source>&amp;Base</source>
        <translation>&amp;База</translation>
    </message>
    <message>
        <source>&amp;Analytics</source>
        <translation>&amp;Аналитика</translation>
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
        <source>Team server: connected</source>
        <translation>Сервер команды: на связи</translation>
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
        <source>Importing %1</source>
        <translation>Загрузка %1</translation>
    </message>
    <message>
        <source>A/B test</source>
        <translation>A/B-тест</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Повторная отправка</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Пропуск</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Выгрузка</translation>
    </message>
    <message>
        <source>Open campaign</source>
        <translation>Открытие рассылки</translation>
    </message>
    <message>
        <source>Interrupted campaign</source>
        <translation>Прерванная рассылка</translation>
    </message>
    <message>
        <source>%1 campaign(s) were interrupted when the program last closed. Messages whose sending was under way are marked &quot;unconfirmed&quot;: check them in the grid before resending. Press Resume to send the rest.</source>
        <translation>Рассылок, прерванных при прошлом закрытии программы: %1. Сообщения, отправка которых шла в тот момент, помечены «не подтверждено»: проверьте их в таблице, прежде чем отправлять повторно. Нажмите «Продолжить», чтобы отправить остальное.</translation>
    </message>
    <message>
        <source>The log lost its last writes</source>
        <translation>Журнал потерял последние записи</translation>
    </message>
    <message>
        <source>The campaign log&apos;s last writes were lost after a crash (its -wal file was removed). %1 recipient(s) whose message may have gone out are marked &quot;unconfirmed&quot;: check them in the grid before resending. Nothing is sent to them again by itself.</source>
        <translation>Последние записи журнала рассылок потеряны после сбоя (удалён его служебный файл). Получатели, которым сообщение могло уйти (%1), помечены «не подтверждено»: проверьте их в таблице перед повторной отправкой. Сами по себе они повторно не отправляются.</translation>
    </message>
    <message>
        <source>The campaign the program was closed during continues.</source>
        <translation>Рассылка, во время которой программа была закрыта, продолжается.</translation>
    </message>
    <message>
        <source>The team server cannot be asked now: %1 The list below is as it was.</source>
        <translation>Сервер команды сейчас недоступен: %1 Список ниже — как был при последней связи.</translation>
    </message>
    <message>
        <source>Approve campaign</source>
        <translation>Одобрение рассылки</translation>
    </message>
    <message>
        <source>Approve campaign %1? Its sender can then send it; the approval is recorded in the team&apos;s audit log under your name.</source>
        <translation>Одобрить рассылку %1? После этого её автор сможет её отправить; одобрение записывается в журнал команды под вашим именем.</translation>
    </message>
    <message>
        <source>Campaign %1 approved.</source>
        <translation>Рассылка %1 одобрена.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>A campaign is being sent. Pause it or wait until it ends.</source>
        <translation>Идёт отправка рассылки. Приостановите её или дождитесь окончания.</translation>
    </message>
    <message>
        <source>Estimate: %1 · cap: %2</source>
        <translation>Оценка: %1 · лимит: %2</translation>
    </message>
    <message>
        <source>sending stops at ~%1 %</source>
        <translation>отправка остановится на ~%1 %</translation>
    </message>
    <message>
        <source>within the cap</source>
        <translation>в пределах лимита</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>доставлено</translation>
    </message>
    <message>
        <source>read</source>
        <translation>прочитано</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>переходы по ссылке</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <source>the rest (%1) gets the winner automatically</source>
        <translation>остальные (%1) получат победителя автоматически</translation>
    </message>
    <message>
        <source>the rest (%1) waits for your choice of the winner</source>
        <translation>остальные (%1) ждут вашего выбора победителя</translation>
    </message>
    <message>
        <source>A/B test: %1 variants, %2 recipients (%3 %) split evenly; winner by %4 %5 after the test; %6.</source>
        <translation>A/B-тест: вариантов — %1, тест на %2 получателях (%3 %) поровну; победитель по критерию «%4» через %5 после теста; %6.</translation>
    </message>
    <message>
        <source>Send %1 message(s) through %2?</source>
        <translation>Отправить сообщений: %1 через %2?</translation>
    </message>
    <message>
        <source>%1 on the stop list left out</source>
        <translation>исключено по стоп-листу: %1</translation>
    </message>
    <message>
        <source>%1 without consent left out</source>
        <translation>исключено без согласия: %1</translation>
    </message>
    <message>
        <source>%1 duplicate(s) of the same address left out</source>
        <translation>исключено дубликатов одного адреса: %1</translation>
    </message>
    <message>
        <source>%1 scheduled for later: the send window %2 in each recipient&apos;s own time zone</source>
        <translation>%1 запланировано на потом: окно отправки %2 по местному времени каждого получателя</translation>
    </message>
    <message>
        <source>Demo mode: the messages go to the built-in simulator.</source>
        <translation>Демо-режим: сообщения уходят во встроенный симулятор.</translation>
    </message>
    <message>
        <source>Send campaign</source>
        <translation>Отправка рассылки</translation>
    </message>
    <message>
        <source>Test send</source>
        <translation>Тестовая отправка</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Тест</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Продолжить</translation>
    </message>
    <message>
        <source>Raise the spend cap</source>
        <translation>Увеличить лимит расходов</translation>
    </message>
    <message>
        <source>The campaign stopped at its spend cap (%1). A new cap, RUB (empty: no cap):</source>
        <translation>Рассылка остановилась на лимите расходов (%1). Новый лимит, руб. (пусто — без лимита):</translation>
    </message>
    <message>
        <source>Cancel campaign</source>
        <translation>Отменить рассылку</translation>
    </message>
    <message>
        <source>Stop the campaign? Messages already sent stay sent; the rest will not be sent.</source>
        <translation>Остановить рассылку? Уже отправленные сообщения останутся отправленными, остальные отправлены не будут.</translation>
    </message>
    <message>
        <source>Campaign paused</source>
        <translation>Рассылка приостановлена</translation>
    </message>
    <message>
        <source>%1 row(s) exported to %2</source>
        <translation>Выгружено строк: %1 в %2</translation>
    </message>
    <message>
        <source>No recipient of this campaign ended as a wrong recipient or blocked.</source>
        <translation>Ни у одного получателя этой рассылки нет статуса «неверный получатель» или «заблокировано».</translation>
    </message>
    <message>
        <source>Add %1 recipient(s) whose final status was &quot;wrong recipient&quot; or &quot;blocked by a filter&quot; to the stop list? Later campaigns will leave them out.</source>
        <translation>Добавить в стоп-лист получателей с итоговым статусом «неверный получатель» или «заблокировано фильтром»: %1? Следующие рассылки будут их исключать.</translation>
    </message>
    <message>
        <source>%1 added to the stop list</source>
        <translation>Добавлено в стоп-лист: %1</translation>
    </message>
    <message>
        <source>The new language takes effect when you restart the program.</source>
        <translation>Новый язык вступит в силу после перезапуска программы.</translation>
    </message>
    <message>
        <source>The team server does not answer since %1</source>
        <translation>Сервер команды не отвечает с %1</translation>
    </message>
    <message>
        <source>Statuses come when it is back. Sending goes on with the stop list this desk has, and pauses once it is older than %1 s.</source>
        <translation>Статусы придут, когда он вернётся. Отправка идёт по стоп-листу, который есть на этом компьютере, и встанет на паузу, когда ему будет больше %1 с.</translation>
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
    <name>MessageCheck</name>
    <message>
        <source>rows %1</source>
        <translation>строки %1</translation>
    </message>
    <message>
        <source> … and %1 more</source>
        <translation> … и ещё %1</translation>
    </message>
    <message>
        <source>hide rows</source>
        <translation>скрыть строки</translation>
    </message>
    <message>
        <source>show rows</source>
        <translation>показать строки</translation>
    </message>
    <message>
        <source>%1 contacts have no %2: rows %3</source>
        <translation>Нет %2 у контактов: %1 (строки %3)</translation>
    </message>
    <message>
        <source>%1 rows have this problem (rows %3); the first: %2</source>
        <translation>Строк с этой проблемой: %1 (строки %3); первая: %2</translation>
    </message>
</context>
<context>
    <name>MessageForm</name>
    <message>
        <source>Channel:</source>
        <translation>Канал:</translation>
    </message>
    <message>
        <source>the name recipients see in &quot;from&quot;</source>
        <translation>имя, которое получатели видят в поле «от кого»</translation>
    </message>
    <message>
        <source>saved codes</source>
        <translation>сохранённые коды</translation>
    </message>
    <message>
        <source>Save code…</source>
        <translation>Сохранить код…</translation>
    </message>
    <message>
        <source>Sender:</source>
        <translation>Отправитель:</translation>
    </message>
    <message>
        <source>Hello, {Name}! …</source>
        <translation>Здравствуйте, {Имя}! …</translation>
    </message>
    <message>
        <source>Insert a field from the list…</source>
        <translation>Вставить поле из списка…</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>Текст:</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Просмотр</translation>
    </message>
    <message>
        <source>Load .html…</source>
        <translation>Загрузить .html…</translation>
    </message>
    <message>
        <source>Open in browser</source>
        <translation>Открыть в браузере</translation>
    </message>
    <message>
        <source>HTML:</source>
        <translation>HTML:</translation>
    </message>
    <message>
        <source>e.g. Open the catalogue</source>
        <translation>например, Открыть каталог</translation>
    </message>
    <message>
        <source>Button caption:</source>
        <translation>Надпись на кнопке:</translation>
    </message>
    <message>
        <source>Button action:</source>
        <translation>Действие кнопки:</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Картинка:</translation>
    </message>
    <message>
        <source>platform default</source>
        <translation>по умолчанию платформы</translation>
    </message>
    <message>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <source>Lifetime (ttl):</source>
        <translation>Время жизни сообщения:</translation>
    </message>
    <message>
        <source>Send later:</source>
        <translation>Отправить позже:</translation>
    </message>
    <message>
        <source>Charset:</source>
        <translation>Кодировка:</translation>
    </message>
    <message>
        <source>Service message, not advertising (no consent needed)</source>
        <translation>Сервисное сообщение, не реклама (согласие не требуется)</translation>
    </message>
    <message>
        <source>Find push/bot tokens by phone or e-mail</source>
        <translation>Искать push/бот-токены по телефону или e-mail</translation>
    </message>
    <message>
        <source>Kannel-compatible status codes</source>
        <translation>Статусы в кодах SMS-шлюза (совместимость)</translation>
    </message>
    <message>
        <source>Spend cap:</source>
        <translation>Лимит расходов:</translation>
    </message>
    <message>
        <source>Cascade code:</source>
        <translation>Код каскада:</translation>
    </message>
    <message>
        <source>digits: the scenario mailing&apos;s code</source>
        <translation>цифры: код рассылки по сценарию</translation>
    </message>
    <message>
        <source>https://… or /command</source>
        <translation>https://… или /команда</translation>
    </message>
    <message>
        <source>Save cascade code</source>
        <translation>Сохранить код каскада</translation>
    </message>
    <message>
        <source>A name for code %1 (e.g. &quot;Viber→SMS, spring promo&quot;):</source>
        <translation>Название для кода %1 (например, «Viber→SMS, весенняя акция»):</translation>
    </message>
    <message>
        <source>Load HTML</source>
        <translation>Загрузка HTML</translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <source> (%1 billed units)</source>
        <translation> (тарифицируемых единиц: %1)</translation>
    </message>
    <message>
        <source>Estimated cost: %1 for %3 message(s)</source>
        <translation>Ориентировочная стоимость: %1 за %3 сообщ.</translation>
    </message>
    <message>
        <source>; of them %1 to numbers that are not mobiles (%2)</source>
        <translation>; из них %1 на немобильные номера (%2)</translation>
    </message>
    <message>
        <source> at example prices: set yours in Settings</source>
        <translation> по примерным ценам: укажите свои в настройках</translation>
    </message>
    <message>
        <source>Message</source>
        <extracomment>(Draft) the user pressed Send and the check found nothing blocking (Draft, address) a test send to one typed number or address</extracomment>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Choose the channel, write the text with {placeholders} from your list, and check it before sending.</source>
        <translation>Выберите канал, напишите текст с {подстановками} из вашего списка и проверьте его перед отправкой.</translation>
    </message>
    <message>
        <source>Preview</source>
        <extracomment>bumped at each preview: a preview rendered aside for an older one is dropped ``async (draft, advertising) -&gt; campaign.session.Plan``, set by the window: the session&apos;s plan for the loaded list (None: only the draft itself is checked)</extracomment>
        <translation>Просмотр</translation>
    </message>
    <message>
        <source>Previous recipient</source>
        <translation>Предыдущий получатель</translation>
    </message>
    <message>
        <source>Next recipient</source>
        <translation>Следующий получатель</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <source>Press Check to look for problems.</source>
        <translation>Нажмите «Проверить», чтобы найти ошибки.</translation>
    </message>
    <message>
        <source>Send…</source>
        <translation>Отправить…</translation>
    </message>
    <message>
        <source>a number or address for a test</source>
        <translation>номер или адрес для теста</translation>
    </message>
    <message>
        <source>Send test</source>
        <translation>Отправить тест</translation>
    </message>
    <message>
        <source>No contacts imported: showing a sample contact</source>
        <translation>Контакты не загружены: показан образец контакта</translation>
    </message>
    <message>
        <source>No contacts imported: showing the template</source>
        <translation>Контакты не загружены: показан шаблон</translation>
    </message>
    <message>
        <source>(no address for this type)</source>
        <translation>(нет адреса для этого типа)</translation>
    </message>
    <message>
        <source>Recipient %1 of %2 (row %3): %4</source>
        <translation>Получатель %1 из %2 (строка %3): %4</translation>
    </message>
    <message>
        <source>over %1 characters: far too long for one message</source>
        <extracomment>what &quot;Open in browser&quot; opens: the letter filled, with its real images</extracomment>
        <translation>более %1 символов: слишком длинно для одного сообщения</translation>
    </message>
    <message>
        <source>over %1 characters</source>
        <translation>более %1 символов</translation>
    </message>
    <message>
        <source>%1 characters: far too long for one message</source>
        <translation>%1 символов: слишком длинно для одного сообщения</translation>
    </message>
    <message>
        <source>%1 characters</source>
        <translation>Символов: %1</translation>
    </message>
    <message>
        <source>%1 characters · %2 · %3 SMS segment(s)</source>
        <translation>символов: %1 · %2 · SMS-частей: %3</translation>
    </message>
    <message>
        <source>%1 chars · %2 · %3 SMS</source>
        <translation>%1 симв. · %2 · SMS: %3</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>загрузка…</translation>
    </message>
    <message>
        <source>Image preview</source>
        <translation>Просмотр картинки</translation>
    </message>
    <message>
        <source>not an image</source>
        <extracomment>a picture bigger than this is not an image a message carries: not read further</extracomment>
        <translation>это не картинка</translation>
    </message>
    <message>
        <source>The image could not be loaded (%1): check the address before sending.</source>
        <translation>Не удалось загрузить картинку (%1): проверьте адрес перед отправкой.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <source>A variant of the A/B test has an error: see the list.</source>
        <translation>В одном из вариантов A/B-теста ошибка: см. список.</translation>
    </message>
    <message>
        <source>The draft has no errors; import contacts to check it against the list.</source>
        <translation>В черновике ошибок нет; импортируйте контакты, чтобы проверить его по списку.</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>Ошибок не найдено.</translation>
    </message>
    <message>
        <source>%1 error(s) block sending, %2 warning(s).</source>
        <translation>Ошибок, блокирующих отправку: %1, предупреждений: %2.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Import contacts before sending.</source>
        <translation>Загрузите контакты перед отправкой.</translation>
    </message>
</context>
<context>
    <name>MessagePreview</name>
    <message>
        <source>… the rest is not shown here (the message is sent whole)</source>
        <extracomment>characters of a rendered text the preview lays out (an unbreakable run of 20,000 took 0.4 s to lay out; 4,000 take 30 ms) characters without a space beyond which a text is wrapped anywhere characters of an HTML document rendered in the preview</extracomment>
        <translation>… остальное здесь не показано (сообщение отправляется целиком)</translation>
    </message>
    <message>
        <source>… %1 more characters not shown here (the message is sent whole)</source>
        <translation>… ещё %1 символов здесь не показаны (сообщение отправляется целиком)</translation>
    </message>
    <message>
        <source>This document is too big to preview here (%1 characters). Use “Open in browser” to see it.</source>
        <translation>Документ слишком большой для просмотра здесь (%1 символов). Откройте его кнопкой «Открыть в браузере».</translation>
    </message>
    <message>
        <source>… part of a long value is not shown here (it is sent whole)</source>
        <extracomment>characters of one cell the preview renders from</extracomment>
        <translation>… часть длинного значения здесь не показана (отправляется целиком)</translation>
    </message>
    <message>
        <source>Unknown placeholder(s) %1: the contact list has no such column; they are sent as written.</source>
        <extracomment>around an unknown placeholder in a rendered text (private-use characters: no message has them, and they survive the renderer&apos;s HTML escaping) how an unknown placeholder looks in every face of the preview values of the sample row shown when no contacts are imported (column names as people write them; any other column shows its own name in guillemets)</extracomment>
        <translation>Неизвестная подстановка %1: в списке контактов нет такого столбца; она уйдёт как написана.</translation>
    </message>
    <message>
        <source>image: %1</source>
        <extracomment>characters of an address still tried as a file&apos;s path</extracomment>
        <translation>изображение: %1</translation>
    </message>
</context>
<context>
    <name>Money</name>
    <message>
        <source>RUB</source>
        <comment>currency after an amount</comment>
        <translation>руб.</translation>
    </message>
    <message>
        <source>RUB</source>
        <translation>руб.</translation>
    </message>
</context>
<context>
    <name>PhonePreview</name>
    <message>
        <source>(no sender)</source>
        <extracomment>the messengers shown as a bubble each messenger&apos;s button colour, so the bubble looks like the app it lands in the picture&apos;s width in the bubble</extracomment>
        <translation>(отправитель не указан)</translation>
    </message>
</context>
<context>
    <name>Segment</name>
    <message>
        <source>and</source>
        <translation>и</translation>
    </message>
    <message>
        <source>or</source>
        <translation>или</translation>
    </message>
    <message>
        <source>not</source>
        <translation>не</translation>
    </message>
    <message>
        <source>%1 contains «%2»</source>
        <translation>%1 содержит «%2»</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 пусто</translation>
    </message>
    <message>
        <source>%1 is not empty</source>
        <translation>%1 не пусто</translation>
    </message>
    <message>
        <source>in list «%1»</source>
        <translation>в списке «%1»</translation>
    </message>
    <message>
        <source>tagged «%1»</source>
        <translation>с меткой «%1»</translation>
    </message>
    <message>
        <source>consent withdrawn (%1)</source>
        <translation>согласие отозвано (%1)</translation>
    </message>
    <message>
        <source>consent given (%1)</source>
        <translation>согласие дано (%1)</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>отправлено</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>доставлено</translation>
    </message>
    <message>
        <source>read</source>
        <translation>прочитано</translation>
    </message>
    <message>
        <source>clicked</source>
        <translation>перешли</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>не доставлено</translation>
    </message>
    <message>
        <source>%1 in the last %2 days</source>
        <translation>%1 за последние %2 дн.</translation>
    </message>
    <message>
        <source>the last campaign</source>
        <translation>последней рассылке</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1 в %2</translation>
    </message>
    <message>
        <source>%1 is today</source>
        <translation>%1 — сегодня</translation>
    </message>
    <message>
        <source>%1 is this week</source>
        <translation>%1 — на этой неделе</translation>
    </message>
    <message>
        <source>%1 is this month</source>
        <translation>%1 — в этом месяце</translation>
    </message>
    <message>
        <source>%1 is in the next %2 days</source>
        <translation>%1 — в ближайшие %2 дн.</translation>
    </message>
    <message>
        <source>%1 is in the last %2 days</source>
        <translation>%1 — за последние %2 дн.</translation>
    </message>
    <message>
        <source>%1 is from %2 to %3</source>
        <translation>%1 — с %2 по %3</translation>
    </message>
    <message>
        <source> (every year)</source>
        <translation> (каждый год)</translation>
    </message>
</context>
<context>
    <name>SegmentDialog</name>
    <message>
        <source>New segment</source>
        <translation>Новый сегмент</translation>
    </message>
    <message>
        <source>e.g. Moscow, delivered, not clicked</source>
        <translation>например: Москва, доставлено, без перехода</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Имя:</translation>
    </message>
    <message>
        <source>every condition holds</source>
        <translation>выполняются все условия</translation>
    </message>
    <message>
        <source>any condition holds</source>
        <translation>выполняется любое условие</translation>
    </message>
    <message>
        <source>Contacts for whom:</source>
        <translation>Контакты, для которых:</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>Добавить условие</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Посчитать</translation>
    </message>
    <message>
        <source>Fill in at least one condition.</source>
        <translation>Заполните хотя бы одно условие.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Считаю…</translation>
    </message>
    <message>
        <source>Give the segment a name.</source>
        <translation>Дайте сегменту имя.</translation>
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
        <source>With a server receiver: the key of its event feed, which this window polls for statuses. Kept in the credential store.</source>
        <translation>Для приёмника на сервере: ключ его ленты событий, которую это окно опрашивает за статусами. Хранится в системном хранилище паролей.</translation>
    </message>
    <message>
        <source>Feed key:</source>
        <translation>Ключ ленты:</translation>
    </message>
    <message>
        <source>Receiver port:</source>
        <translation>Порт приёмника:</translation>
    </message>
    <message>
        <source>Team server</source>
        <translation>Сервер команды</translation>
    </message>
    <message>
        <source>A team shares one stop list, sees each other&apos;s campaigns and statuses, and may need an approver&apos;s approval before sending. Leave the address empty to work alone.</source>
        <translation>У команды общий стоп-лист, все видят рассылки и статусы друг друга, а перед отправкой может понадобиться одобрение согласующего. Оставьте адрес пустым, чтобы работать одному.</translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation>Адрес сервера:</translation>
    </message>
    <message>
        <source>Your user key from the server&apos;s administrator. Kept in the credential store.</source>
        <translation>Ваш ключ пользователя от администратора сервера. Хранится в системном хранилище паролей.</translation>
    </message>
    <message>
        <source>No credential store is available: the key is kept only until the program closes.</source>
        <translation>Хранилище паролей недоступно: ключ хранится только до закрытия программы.</translation>
    </message>
    <message>
        <source>User key:</source>
        <translation>Ключ пользователя:</translation>
    </message>
    <message>
        <source>Nothing is sent when the team&apos;s stop list could not be refreshed for longer than this many seconds.</source>
        <translation>Ничего не отправляется, если стоп-лист команды не удавалось обновить дольше этого числа секунд.</translation>
    </message>
    <message>
        <source>Stop list freshness, s:</source>
        <translation>Свежесть стоп-листа, с:</translation>
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
    <message>
        <source>Audience rules</source>
        <translation>Правила аудитории</translation>
    </message>
    <message>
        <source>When messages may arrive in the recipient&apos;s own time, e.g. 09:00-22:00; &quot;off&quot; for any time.</source>
        <translation>Когда сообщения могут приходить по местному времени получателя, например 09:00-22:00; «круглосуточно» — в любое время.</translation>
    </message>
    <message>
        <source>Send window:</source>
        <translation>Окно отправки:</translation>
    </message>
    <message>
        <source>For recipients whose list and number say nothing (Europe/Moscow, UTC+5, Новосибирск…).</source>
        <translation>Для получателей, о которых ни список, ни номер ничего не говорят (Europe/Moscow, UTC+5, Новосибирск…).</translation>
    </message>
    <message>
        <source>Default time zone:</source>
        <translation>Часовой пояс по умолчанию:</translation>
    </message>
    <message>
        <source>Prices, RUB:</source>
        <translation>Цены, руб.:</translation>
    </message>
    <message>
        <source>Per SMS segment, per message for the other channels. The platform publishes no price list: enter your tariff; the defaults are examples.</source>
        <translation>За часть SMS, за сообщение — в остальных каналах. Платформа не публикует прайс-лист: укажите свой тариф; значения по умолчанию — примеры.</translation>
    </message>
    <message>
        <source>A new campaign (or a whole A/B test) pauses before its estimated spend would pass this; empty for no cap. Each campaign can change it.</source>
        <translation>Новая рассылка (или весь A/B-тест) приостанавливается, прежде чем оценка расходов превысит эту сумму; пусто — без лимита. У каждой рассылки его можно изменить.</translation>
    </message>
    <message>
        <source>Spend cap, RUB:</source>
        <translation>Лимит расходов, руб.:</translation>
    </message>
</context>
<context>
    <name>SpendCapField</name>
    <message>
        <source>no cap</source>
        <translation>без лимита</translation>
    </message>
    <message>
        <source>Sending pauses before the estimated spend would pass this amount; the rest stays queued. The default is set in Settings.</source>
        <translation>Отправка приостанавливается, прежде чем оценка расходов превысит эту сумму; остальные остаются в очереди. Значение по умолчанию задаётся в Настройках.</translation>
    </message>
</context>
<context>
    <name>StatusChart</name>
    <message>
        <source>Delivered</source>
        <extracomment>the session&apos;s count groups (``campaign.counts.Group``), bottom to top; spelled out here rather than imported from ``campaign.timeline``, which loads numpy at start-up</extracomment>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>Read / clicked</source>
        <translation>Прочитано / переход</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Не доставлено</translation>
    </message>
    <message>
        <source>Unconfirmed</source>
        <translation>Не подтверждено</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Не отправлено</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>В ожидании</translation>
    </message>
    <message>
        <source>The chart fills in as statuses arrive</source>
        <extracomment>(seconds since the epoch, counts per group)</extracomment>
        <translation>График заполняется по мере поступления статусов</translation>
    </message>
</context>
<context>
    <name>StopListPage</name>
    <message>
        <source>Stop list</source>
        <extracomment>(title, message) of a refusal the user should read</extracomment>
        <translation>Стоп-лист</translation>
    </message>
    <message>
        <source>Numbers and addresses that never receive a message: people who refused, wrong numbers, blocked directions. Every campaign leaves them out, even one already running.</source>
        <translation>Номера и адреса, которым никогда не уходят сообщения: отказавшиеся, неверные номера, запрещённые направления. Их исключает каждая рассылка, даже уже идущая.</translation>
    </message>
    <message>
        <source>phone or e-mail, written any way</source>
        <translation>телефон или e-mail в любой записи</translation>
    </message>
    <message>
        <source>note (why)</source>
        <translation>примечание (почему)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <extracomment>the team server&apos;s desk (None: this desk works alone), asked at each use: Settings may change it</extracomment>
        <translation>Удалить выбранные</translation>
    </message>
    <message>
        <source>Import from file…</source>
        <translation>Загрузить из файла…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Выгрузить…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Поиск</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Добавлен</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>%1 entries</source>
        <translation>Записей: %1</translation>
    </message>
    <message>
        <source>«%1» is neither a phone number nor an e-mail address.</source>
        <translation>«%1» — не номер телефона и не адрес e-mail.</translation>
    </message>
    <message>
        <source>The team&apos;s shared stop list could not be synchronised: %1 What you add here goes to the team server at the next connection; no campaign is sent while the copy here is older than Settings allow.</source>
        <translation>Не удалось синхронизировать общий стоп-лист команды: %1 Добавленное здесь уйдёт на сервер команды при следующей связи; пока копия на этом компьютере старше, чем допускают настройки, рассылки не отправляются.</translation>
    </message>
    <message>
        <source>Shared with the team through its server: what is added here reaches every desk. Synchronised at %1.</source>
        <translation>Общий для команды через её сервер: добавленное здесь получают все рабочие места. Синхронизирован в %1.</translation>
    </message>
    <message>
        <source>Import a stop list</source>
        <translation>Загрузка стоп-листа</translation>
    </message>
    <message>
        <source>%1 added from %2</source>
        <translation>добавлено %1 из %2</translation>
    </message>
    <message>
        <source>Export the stop list</source>
        <translation>Выгрузка стоп-листа</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Книга Excel (*.xlsx);;Таблица CSV (*.csv)</translation>
    </message>
    <message>
        <source>stop-list.xlsx</source>
        <comment>default file name</comment>
        <translation>стоп-лист.xlsx</translation>
    </message>
</context>
<context>
    <name>Ucs2Bar</name>
    <message>
        <source>%1 part(s)</source>
        <translation>частей: %1</translation>
    </message>
    <message>
        <source>%1 part(s), %2 a message</source>
        <translation>частей: %1, %2 за сообщение</translation>
    </message>
    <message>
        <source>UCS-2 because of %1: %2. Plain quotes and dashes: %3; in Latin letters: %4.</source>
        <translation>UCS-2 из-за символов %1: %2. С простыми кавычками и дефисами: %3; латиницей: %4.</translation>
    </message>
    <message>
        <source>Replace (%1 → %2 parts)</source>
        <translation>Заменить (частей: %1 → %2)</translation>
    </message>
    <message>
        <source>Replace quotes, dashes and № (%1 part(s))</source>
        <translation>Заменить кавычки, тире и № (частей: %1)</translation>
    </message>
    <message>
        <source>Also ё → е (%1 part(s))</source>
        <translation>И ещё ё → е (частей: %1)</translation>
    </message>
    <message>
        <source>Transliterate into Latin letters (%1 part(s))</source>
        <translation>Транслитерировать латиницей (частей: %1)</translation>
    </message>
</context>
<context>
    <name>VariantColumn</name>
    <message>
        <source>Sent</source>
        <translation>Отправлено</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Доставлено</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Прочитано</translation>
    </message>
    <message>
        <source>Clicked</source>
        <translation>Переходы</translation>
    </message>
    <message>
        <source>Send %1 to the rest</source>
        <translation>Отправить %1 остальным</translation>
    </message>
    <message>
        <source>Variant %1</source>
        <translation>Вариант %1</translation>
    </message>
</context>
<context>
    <name>VariantEditor</name>
    <message>
        <source>Variant %1</source>
        <extracomment>the shortest decision time offered: at once (a demo, a quick look; statuses still on their way then count as not delivered); an hour is the default</extracomment>
        <translation>Вариант %1</translation>
    </message>
    <message>
        <source>sender (empty: as variant A)</source>
        <translation>отправитель (пусто — как у A)</translation>
    </message>
    <message>
        <source>Remove variant %1</source>
        <translation>Убрать вариант %1</translation>
    </message>
    <message>
        <source>The text of variant %1</source>
        <translation>Текст варианта %1</translation>
    </message>
</context>
</TS>
