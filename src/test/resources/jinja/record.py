#!/usr/bin/env python3
"""Records Ansible's answers for cases.txt into ansible-answers.json.

Run from this directory with Debian's ansible 2.14 and python3-netaddr, python3-jmespath and
python3-passlib installed:  python3 record.py
Each case becomes one debug task of one playbook (ANSIBLE_STDOUT_CALLBACK=json), run in a copy of
this directory, with vars.json as extra variables. For each case the fixture keeps:
  value  Ansible's debug msg for "{{ EXPR }}" (what a module argument would receive)
  text   what Ansible renders for "{{ EXPR }}" inside a larger string (a file template, a message)
  error  Ansible's error, when the case fails in Ansible
The copy's path is written as ${dir} in answers, so the test can put its own directory back.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = '|'


def cases():
    source = None
    out = []
    with open(os.path.join(HERE, 'cases.txt'), encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            if line.startswith('@ '):
                source = line[2:]
                continue
            if line.startswith('T '):
                out.append({'template': line[2:], 'source': source})
            else:
                out.append({'expr': line, 'source': source})
    return out


def template_of(case):
    return case['template'] if 'template' in case else '{{ ' + case['expr'] + ' }}'


def main():
    rows = cases()
    work = tempfile.mkdtemp(prefix='moat-jinja-')
    try:
        for entry in ('files', 'templates'):
            src = os.path.join(HERE, entry)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(work, entry))
        tasks = [{'name': 'case %d' % i, 'ignore_errors': True,
                  'debug': {'msg': [template_of(c), template_of(c) + MARK]}} for i, c in enumerate(rows)]
        play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]
        with open(os.path.join(work, 'play.yml'), 'w') as f:
            json.dump(play, f)
        env = dict(os.environ, ANSIBLE_STDOUT_CALLBACK='json', ANSIBLE_NOCOLOR='1', TZ='UTC',
                   ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
        env.pop('MOAT_JINJA_SURELY_UNSET', None)
        p = subprocess.run(['ansible-playbook', '-i', 'localhost,', '-c', 'local', '-e', '@' + os.path.join(HERE, 'vars.json'),
                            'play.yml'], cwd=work, env=env, capture_output=True, text=True)
        report = json.loads(p.stdout)
        results = report['plays'][0]['tasks']
        if len(results) != len(rows):
            sys.exit('expected %d results, got %d: %s' % (len(rows), len(results), p.stderr))
        version = subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
        fixture = {'recorded_with': version + ', TZ=UTC, by record.py', 'rows': []}
        for case, task in zip(rows, results):
            r = task['hosts']['localhost']
            row = dict(case)
            if r.get('failed'):
                row['error'] = r.get('msg')
            else:
                value, text = r['msg']
                assert text.endswith(MARK), text
                row['value'] = value
                row['text'] = text[:-len(MARK)]
            fixture['rows'].append(json.loads(json.dumps(row).replace(work, '${dir}')))
        with open(os.path.join(HERE, 'ansible-answers.json'), 'w', encoding='utf-8') as f:
            json.dump(fixture, f, indent=1, ensure_ascii=False)
            f.write('\n')
        print('%d rows, %d errors' % (len(rows), sum(1 for r in fixture['rows'] if 'error' in r)))
    finally:
        shutil.rmtree(work)


if __name__ == '__main__':
    main()
