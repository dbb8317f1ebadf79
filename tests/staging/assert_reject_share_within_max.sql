{#-
    Stops the build when more than var('max_reject_share') of the input rows are rejected, with a
    message saying how many and the most common broken rules: that many bad rows means a wrong
    file or a changed export, not a few typos. It reads stg_customers so that dbt holds back
    every model built on it (the marts keep their last good build), while customer_rejects is
    still built to show what went wrong. Below the limit the build goes on.
-#}
{{ reject_share_check(ref('base_customers'), ref('stg_customers'), 'max_reject_share', 'customer_rejects') }}
