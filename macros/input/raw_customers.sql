{% macro raw_customers() %}
    {#-
        The one place that decides where customers come from: the bundled seed by default, or
        the CSV / Parquet file named by the `raw_customers_path` var, read by DuckDB directly
        (a seed would parse every row in Python). CSV columns arrive as text so that staging,
        not the reader, decides what a valid value is.
    -#}
    {%- set path = var('raw_customers_path') | trim -%}
    {%- if not path -%}
        {{ ref('raw_customers') }}
    {%- elif path.lower().endswith('.parquet') -%}
        read_parquet('{{ path }}')
    {%- elif path.lower().endswith('.csv') -%}
        read_csv('{{ path }}', header = true, all_varchar = true, auto_detect = true)
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "raw_customers_path must name a .csv or .parquet file; got '" ~ path ~ "'."
        ) }}
    {%- endif -%}
{% endmacro %}
