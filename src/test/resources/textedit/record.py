#!/usr/bin/python3
"""Records Ansible 2.14's answers for cases.yml into answers.json (run by hand where Ansible is installed)."""
import json, os, subprocess, sys, tempfile, yaml

here = os.path.dirname(os.path.abspath(__file__))
cases = yaml.safe_load(open(os.path.join(here, 'cases.yml')))
answers = {}
for c in cases:
    d = tempfile.mkdtemp()
    path = os.path.join(d, 'file')
    if c['input'] is not None:
        with open(path, 'w', newline='') as f:
            f.write(c['input'])
    args = dict(c['args'], path=path)
    module = 'community.general.ini_file' if c['module'] == 'ini_file' else c['module']
    r = subprocess.run(['ansible', '-i', 'localhost,', '-c', 'local', '-o', '-m', module, '-a', json.dumps(args), 'localhost'],
                       capture_output=True, text=True, env=dict(os.environ, ANSIBLE_LOAD_CALLBACK_PLUGINS='1'))
    line = r.stdout.strip().splitlines()[-1]
    out = json.loads(line[line.index('{'):])
    content = open(path, newline='').read() if os.path.exists(path) else None
    answers[c['name']] = {'changed': out.get('changed', False), 'failed': 'FAILED!' in line,
                          'msg': out.get('msg', '').replace(path, 'PATH'), 'content': content}
json.dump(answers, open(os.path.join(here, 'answers.json'), 'w'), indent=1, sort_keys=True)
