{#- The data behind the filters of van-ban/: made by render.documents_data, loaded on first use. -#}
{{ data }}