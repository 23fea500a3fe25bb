"""Reference frameworks and crosswalks shipped as data (loaded by ``manage.py load_reference_frameworks``)."""
