# كلمات القالب الافتراضي باللغة العربية. يمكن للموقع تغيير أي منها في ملفه
# i18n/ar.ftl الخاص به (بصيغة Project Fluent: https://projectfluent.org/).
# These strings should be checked by a native speaker before publication.

## إطار كل صفحة

skip-link = انتقل إلى المحتوى الرئيسي
nav-main = القائمة الرئيسية
nav-breadcrumb = مسار التنقل
nav-languages = هذه الصفحة بلغات أخرى
home = الصفحة الرئيسية
footer-disclaimer = هذه المعلومات لا تغني عن نصيحة طبيبك أو الممرض أو الصيدلي. اقرأ دائمًا النشرة الداخلية للدواء.
footer-privacy = لا يستخدم هذا الموقع ملفات تعريف الارتباط ولا يحمّل أي شيء من مواقع أخرى.
feed-title = الصفحات التي رُوجعت مؤخرًا

## صفحات الأدوية والمقالات

generic-name = الاسم العلمي
brand-names = الاسم التجاري
fact-drug-class = نوع الدواء
fact-forms = الأشكال الدوائية
fact-used-for = يُستخدم لعلاج
fact-atc = رمز ATC
rate-jump = يرجى تقييم هذه الصفحة
rate-jump-where = (في أسفل الصفحة)
on-this-page = في هذه الصفحة
more-info = لمزيد من المعلومات
more-info-condition = { $condition }: كل الأدوية في هذا الموقع
sources = المصادر
source-read = تمت قراءته في { $date }
review-dates = تواريخ المراجعة
last-reviewed = آخر مراجعة للصفحة:
next-review = موعد المراجعة القادمة:
reviewed-by = راجعها { $name }

## ترجمة أقدم من مصدرها

translation-stale = قد تكون هذه الترجمة قديمة. تم تحديث الصفحة الأصلية باللغة { $source_lang ->
    [en] الإنجليزية
   *[other] { $language }
} في { $date }.
translation-stale-link = اقرأ الصفحة باللغة { $source_lang ->
    [en] الإنجليزية
   *[other] { $language }
}

## المشاركة

share-native = شارك هذه الصفحة
share-copy = انسخ الرابط
share-email = شارك عبر البريد الإلكتروني
share-copied = تم نسخ الرابط
share-copy-failed = تعذّر نسخ الرابط

## عداد الزيارات

visits-today = { $count ->
    [zero] لم تتم زيارة هذه الصفحة اليوم
    [one] تمت زيارة هذه الصفحة مرة واحدة اليوم
    [two] تمت زيارة هذه الصفحة مرتين اليوم
    [few] تمت زيارة هذه الصفحة { $count } مرات اليوم
    [many] تمت زيارة هذه الصفحة { $count } مرة اليوم
   *[other] تمت زيارة هذه الصفحة { $count } مرة اليوم
}

## التقييم

rate-heading = يرجى تقييم هذه الصفحة
rate-legend = ما مدى فائدة هذه الصفحة؟ 1 تعني غير مفيدة، و5 تعني مفيدة جدًا.
rate-comment = تعليق (اختياري)
rate-comment-hint = لا تكتب معلومات شخصية، مثل اسمك أو بيانات الاتصال بك أو تفاصيل عن صحتك.
rate-send = أرسل التقييم
rate-thanks = شكرًا لك. تم حفظ تقييمك.
rate-already = لقد قيّمت هذه الصفحة من قبل على هذا الجهاز. شكرًا لك.
rate-failed = عذرًا، تعذّر إرسال تقييمك. يرجى المحاولة لاحقًا.
rate-choose = يرجى اختيار تقييم من 1 إلى 5.
rate-sending = جارٍ إرسال تقييمك…

## الصفحة الرئيسية والأقسام والأمراض

sections = الأقسام
page-count = { $count ->
    [zero] لا توجد صفحات
    [one] صفحة واحدة
    [two] صفحتان
    [few] { $count } صفحات
   *[other] { $count } صفحة
}
more-information = مزيد من المعلومات
section-empty = لا توجد صفحات بهذه اللغة هنا بعد.
conditions = الأمراض
condition-count = { $count ->
    [zero] لا توجد أمراض
    [one] مرض واحد
    [two] مرضان
    [few] { $count } أمراض
   *[other] { $count } مرضًا
}
conditions-intro = ابحث عن الأدوية حسب المرض الذي تُستخدم لعلاجه.
conditions-summary = الأدوية في هذا الموقع، حسب المرض الذي تُستخدم لعلاجه.
conditions-description = الأدوية حسب المرض الذي تُستخدم لعلاجه
medicine-count = { $count ->
    [zero] لا توجد أدوية
    [one] دواء واحد
    [two] دواءان
    [few] { $count } أدوية
   *[other] { $count } دواءً
}
condition-summary = الأدوية في هذا الموقع التي تُستخدم لعلاج هذا المرض.
condition-description = الأدوية المستخدمة لعلاج { $condition }
all-conditions = كل الأمراض

## فهرس الأدوية من الألف إلى الياء، والقوائم الطويلة في أجزاء، والصفحات التي روجعت مؤخرًا
# az-letters: حروف الهجاء في شريط التنقل بترتيب اللغة، تفصل بينها مسافات؛
# الاسم الذي لا يبدأ بأي منها يوضع تحت #.

az-letters = ا ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي
az-nav = الأدوية من الألف إلى الياء
az-see = { $brand } – انظر { $generic }
az-continued = { $letter } (تابع)
part-of = الصفحة { $current } من { $total }
pagination-nav = صفحات هذه القائمة
pagination-prev = الصفحة السابقة
pagination-next = الصفحة التالية
pagination-page = الصفحة { $number }
recently-reviewed = صفحات روجعت مؤخرًا
reviewed-on = روجعت في { $date }

## كلمات داخل نص الصفحة

heading-link = رابط إلى هذا القسم:
callout-note = ملاحظة
callout-tip = نصيحة
callout-important = مهم
callout-urgent = نصيحة عاجلة
callout-caution = تنبيه

## صفحة العنوان غير الموجود

not-found-title = الصفحة غير موجودة
not-found-text = عذرًا، لا توجد صفحة على هذا العنوان. ربما نُقلت، أو ربما كُتب العنوان بشكل خاطئ.
not-found-home = اذهب إلى الصفحة الرئيسية
not-found-conditions = ابحث عن الأدوية حسب المرض

## البحث

search = بحث
search-description = ابحث في صفحات الأدوية في هذا الموقع بالاسم أو الاسم التجاري أو رمز ATC أو المرض.
search-label = ابحث عن الأدوية والأمراض
search-button = بحث
search-hint = اسم الدواء أو اسمه التجاري أو رمز ATC، أو اسم مرض. لا بأس بالأخطاء الإملائية.
search-no-script = يحتاج البحث إلى جافاسكريبت، وهي معطلة أو لا تعمل في هذا المتصفح. يمكنك إيجاد كل الأدوية في القائمة الأبجدية.
search-az-link = الأدوية من الألف إلى الياء
search-searching = جارٍ البحث…
search-none = لا توجد نتائج لـ «{ $query }». تحقق من الإملاء، أو جرّب الاسم التجاري المكتوب على العلبة، أو استخدم القائمة الأبجدية.
search-failed = البحث لا يعمل الآن. حاول مرة أخرى، أو استخدم القائمة الأبجدية.
search-results = { $count ->
    [zero] لا توجد نتائج لـ «{ $query }»
    [one] نتيجة واحدة لـ «{ $query }»
    [two] نتيجتان لـ «{ $query }»
    [few] { $count } نتائج لـ «{ $query }»
    [many] { $count } نتيجة لـ «{ $query }»
   *[other] { $count } نتيجة لـ «{ $query }»
}
search-see = { $name }: انظر { $target }
search-kind-generic = دواء
search-kind-brand = اسم تجاري
search-kind-atc = رمز ATC
search-kind-condition = مرض
search-more = عرض مزيد من النتائج

## التواريخ: «1 نوفمبر 2026»

date = { $day } { $month } { $year }
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
