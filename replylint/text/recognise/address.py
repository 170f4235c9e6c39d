"""Recognise the customer addressed by surname and title in a folded view: 王先生, 李女士.

The view is simplified, lower case, without spaces or punctuation (see text/normalize.py). A
surname is one of the common ones (the top of 百家姓 plus frequent Hong Kong and Taiwan
ones); a title is one that is only said to a person. HK's 陈生 / 陈太 are left out: 生 and 太
begin too many ordinary words once punctuation is gone.
"""

from __future__ import annotations

import re

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔汤温翁庄甘关柯涂骆简游洪麦冼岑欧区伍邝梅卓凌池"
)
_TITLES = "先生|女士|小姐|老师|师傅|阿姨|叔叔|大爷|大姐|大哥"
# 谢 is a surname, but 谢谢先生 / 感谢老师 are thanks, not a name.
_ADDRESS = re.compile(rf"(?:[{_SURNAMES}]|(?<![谢感多致答])谢)(?:{_TITLES})")


def find_address(view: str) -> re.Match[str] | None:
    return _ADDRESS.search(view)
